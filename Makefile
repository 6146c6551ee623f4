# Newsdesk: `make demo` runs the demo newsroom, `make test` runs the whole suite.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test e2e lint bench lock serve-demo clean

$(STAMP): requirements.lock
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PY) not found)"; exit 1; }
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	DJANGO_SETTINGS_MODULE=newsdesk.settings.dev $(PYTHON) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=newsdesk.settings.dev $(PYTHON) manage.py demo_newsroom --host $(HOST) --port $(PORT)
	DJANGO_SETTINGS_MODULE=newsdesk.settings.dev $(PYTHON) scripts/serve_demo.py --host $(HOST) --port $(PORT)

test: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy newsdesk
	DJANGO_SETTINGS_MODULE=newsdesk.settings.test $(PYTHON) manage.py makemigrations --check --dry-run
	$(BIN)/pytest -m "not browser" --cov --cov-report=term --cov-fail-under=$(or $(COVERAGE_MIN),90) $(PYTEST_ARGS)

e2e: $(STAMP)
	mkdir -p var
	$(BIN)/pytest -m browser -p no:randomly $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy newsdesk

bench: $(STAMP)
	mkdir -p var
	command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk
	$(PYTHON) scripts/bench.py

lock:
	$(PYTHON) -m pip install --quiet -r requirements.in
	$(PYTHON) -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf var/newsdesk.sqlite3* var/media var/test*
