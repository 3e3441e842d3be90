# Two commands on a fresh machine:  `make app` starts the playground, `make test` runs every test.
# Both create the virtual environment from the pinned requirements on first use.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: app test lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

app: $(VENV)/.installed
	$(VENV)/bin/streamlit run streamlit_app.py --server.port $(PORT)

test: $(VENV)/.installed
	scripts/ensure_chromium.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) -m benchmarks.bench_conv
	$(PY) -m benchmarks.bench_learn
	$(PY) -m benchmarks.bench_pages
	$(PY) -m benchmarks.bench_conv_view
	$(PY) -m benchmarks.bench_browser
	$(PY) -m benchmarks.load_test

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/screenshots

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
