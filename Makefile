# Newsdesk: `make demo` runs the demo newsroom, `make test` runs the whole suite.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
# Production installs requirements.lock alone; this venv (demo, tests, lint, bench) installs
# requirements-dev.lock, which pins the same runtime versions plus the tools. A change to
# either lock reinstalls it.
LOCKS := requirements.lock requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat $(LOCKS) | cksum | cut -d' ' -f1)
# pytest-xdist processes for `make test`: one per core ("auto"); PYTEST_WORKERS=0 runs one process.
# CHECKS=0 runs the suite alone, without lint, type and migration checks or coverage (CI's second,
# PostgreSQL run: the first run has checked those, and coverage tracing slows the suite).
PYTEST_WORKERS ?= auto
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test e2e lint bench lighthouse loadtest lock serve-demo clean

$(STAMP): $(LOCKS)
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PY) not found)"; exit 1; }
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.lock
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	DJANGO_SETTINGS_MODULE=newsdesk.settings.dev $(PYTHON) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=newsdesk.settings.dev $(PYTHON) manage.py demo_newsroom --host $(HOST) --port $(PORT)
	DJANGO_SETTINGS_MODULE=newsdesk.settings.dev $(PYTHON) scripts/serve_demo.py --host $(HOST) --port $(PORT)

test: $(STAMP)
	mkdir -p var
ifneq ($(CHECKS),0)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy newsdesk
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=newsdesk.settings.test $(PYTHON) manage.py makemigrations --check --dry-run
endif
	$(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 \
		$(if $(filter 0,$(CHECKS)),,--cov --cov-report=term --cov-fail-under=$(or $(COVERAGE_MIN),90)) $(PYTEST_ARGS)

# The browser tests' validators (vnu-jar, axe-core) and Lighthouse, from package-lock.json:
# `npm ci` again only when the lock changed; offline once installed. --ignore-scripts: vnu-jar's
# install script would download a Java runtime, and the machine's Java is the one used.
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed (apt-get install nodejs npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	rm -f node_modules/.installed-* && touch $@

e2e: $(STAMP) $(NODE_STAMP)
	mkdir -p var
	$(BIN)/pytest -m browser -p no:randomly $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy newsdesk && $(BIN)/lint-imports

# 1,000 comments from 100 clients, then 10 minutes of reads with a publish every 10 s, against
# the production server on SQLite and on PostgreSQL (scripts/loadtest.py; LOAD_* to resize).
loadtest: $(STAMP)
	mkdir -p var
	LOAD_DATABASE=sqlite $(PYTHON) scripts/loadtest.py
	LOAD_DATABASE=postgres $(PYTHON) scripts/loadtest.py

# ARCHIVE=N adds the reader pages at N archive articles against the demo (PostgreSQL; scripts/bench_archive.py).
bench: $(STAMP)
	mkdir -p var
	command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk
	$(PYTHON) scripts/bench.py
	$(PYTHON) scripts/bench_servers.py
	$(if $(ARCHIVE),$(PYTHON) scripts/bench_archive.py build $(ARCHIVE))

# Lighthouse 12.2.3's four scores (mobile) for the article, home and section pages, on the
# production server with the demo data (scripts/lighthouse.py); about three minutes.
lighthouse: $(STAMP) $(NODE_STAMP)
	mkdir -p var
	$(PYTHON) scripts/lighthouse.py

# pip-compile resolves from the .in files alone (not from whatever this venv holds) and keeps
# each pinned version that still fits; `make lock UPGRADE=1` takes the newest allowed instead.
# Runtime first: requirements-dev.in is constrained to the requirements.lock just written.
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)

lock: $(STAMP)
	$(PIP_COMPILE) --output-file requirements.lock requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.lock requirements-dev.in

clean:
	rm -rf var/newsdesk.sqlite3* var/media var/test*
