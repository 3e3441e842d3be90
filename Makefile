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

.PHONY: app class stop test lint bench clean

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
