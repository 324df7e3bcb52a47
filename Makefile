# The front door: `make run` serves the hub with demo data, `make test` runs the whole suite on
# SQLite and on PostgreSQL. Every target sets up .venv from the pinned requirements when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres lint format check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed
	DEBUG=on $(BIN)/python manage.py migrate --noinput
	DEBUG=on $(BIN)/python manage.py load_demo --admin --site-url http://$(HOST):$(PORT)/
	DEBUG=on $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: test-sqlite test-postgres

test-sqlite: $(VENV)/.dev-installed
	@echo "== Test suite on SQLite =="
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev-installed
	@echo "== Test suite on PostgreSQL =="
	$(BIN)/python bin/with-postgres $(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests (tests/browser) drive Debian's Chromium; Playwright's own browser download cannot work here.
# Installed when missing, as root (as on CI); otherwise the message says what to run.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else echo "Chromium is missing: run 'sudo apt-get install -y chromium' (the browser tests need it)"; exit 1; fi

test-sqlite test-postgres: | $(CHROMIUM)

# django-upgrade has no check mode: it rewrites what it would change and then fails, as under pre-commit.
PY_FILES = git ls-files -z -- '*.py'
DJANGO_TARGET = 5.2

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY_FILES) | xargs -0 $(BIN)/django-upgrade --target-version $(DJANGO_TARGET)
	DEBUG=on $(BIN)/mypy

format: $(VENV)/.dev-installed
	$(PY_FILES) | xargs -0 $(BIN)/django-upgrade --target-version $(DJANGO_TARGET) --exit-zero-even-if-changed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.dev-installed
	DEBUG=on $(BIN)/python manage.py check
	DEBUG=on $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# --- benchmarks (see bench/README.md) ---
BENCH_PAPERS ?= 100000
SECTIONS ?=

$(VENV)/.bench-installed: requirements.txt requirements-bench.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench-installed
	BENCH_PAPERS=$(BENCH_PAPERS) $(BIN)/python bin/with-postgres $(BIN)/python -m bench $(SECTIONS)
