# SITU OK — the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-e2e lint format messages bench setup clean worker beat

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency declaration or the lock changes.
$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(PY) manage.py compile_catalogues
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_roles
	$(PY) manage.py load_regions
	$(PY) manage.py seed_demo --scale 1
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: setup
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite. Browser tests skip with a message when Chromium is missing;
# SITUOK_SKIP_E2E=1 leaves them to a separate step (CI runs them once, with `make test-e2e`).
test: $(STAMP)
	$(PY) manage.py compile_catalogues
	$(PY) -m pytest -n 2 -m "not e2e and not threads" $(PYTEST_ARGS)
	$(PY) -m pytest -m "threads" $(PYTEST_ARGS)
	@if [ "$$SITUOK_SKIP_E2E" != "1" ]; then $(PY) -m pytest -m e2e $(PYTEST_ARGS); fi

test-e2e: $(STAMP)
	$(PY) manage.py compile_catalogues
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Developers only (needs GNU gettext): refresh the catalogues from the source.
messages: $(STAMP)
	$(PY) manage.py makemessages -l id -l en --no-obsolete --ignore=.venv --ignore=bench --ignore=tests
	$(PY) manage.py fill_catalogues

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

# Production background work (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0).
worker: $(STAMP)
	$(VENV)/bin/celery -A situok worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A situok beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .pytest_cache
