# Two commands on a fresh machine:  `make app` starts the playground, `make test` runs every test.
# Both create the virtual environment from the pinned requirements on first use.
# A lecture hall: `make class` (REPLICAS app processes behind HAProxy on PORT), `make stop`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8501
# app processes behind the balancer; empty: one per core (deploy/hall.py decides)
REPLICAS ?=
# where `make class` keeps haproxy.cfg, logs and the state `make stop` reads
HALL_DIR ?= .hall

.PHONY: app class stop test lint bench clean messages catalogs font

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

app: $(VENV)/.installed
	$(VENV)/bin/streamlit run streamlit_app.py --server.port $(PORT)

class: $(VENV)/.installed
	scripts/ensure_haproxy.sh --required
	$(PY) -m deploy.hall --port $(PORT) --run-dir $(HALL_DIR) $(if $(REPLICAS),--replicas $(REPLICAS))

# deploy/hall.py is standard library only: stopping needs no venv
stop:
	$(PYTHON) -m deploy.hall stop --run-dir $(HALL_DIR)

test: $(VENV)/.installed
	scripts/ensure_chromium.sh
	scripts/ensure_haproxy.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) -m benchmarks.bench_conv
	$(PY) -m benchmarks.bench_learn
	$(PY) -m benchmarks.bench_pages
	$(PY) -m benchmarks.bench_conv_view
	$(PY) -m benchmarks.bench_browser
	$(PY) -m benchmarks.classroom_load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/screenshots $(HALL_DIR)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Translations (docs/i18n.md). `make messages` extracts every _() / N_() / ngettext() string
# into locales/messages.pot and merges it into each locales/<lang>/LC_MESSAGES/messages.po
# (new strings come in empty, changed ones fuzzy: translate them, then drop the fuzzy flag).
# `make catalogs` compiles the .po files into the .mo files the app reads (committed, so
# the app needs no Babel at run time). `make font` rebuilds the Chinese font subset from
# the catalogs and the book's text. tests/test_i18n_catalog.py checks all three are current.
BABEL_EXTRACT := -F babel.cfg --add-location=file --sort-by-file -c "Translators:" \
	--project="Convolution Playground" --no-wrap

messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract $(BABEL_EXTRACT) -o locales/messages.pot .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap

catalogs: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d locales -D messages --statistics

font: $(VENV)/.installed
	$(PY) scripts/make_font.py
