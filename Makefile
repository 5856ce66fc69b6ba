# The two commands a newcomer needs: `make run` and `make test`. Only python3 (3.11+) and make
# are assumed; everything else (virtualenv, packages, the embedded PostgreSQL) is set up here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install lint format migrations-check messages lock clean-db help serve bench

help:
	@echo "make run    - set everything up and serve the demo newsroom on http://$(HOST):$(PORT)/"
	@echo "make test   - set everything up and run the whole test suite"
	@echo "make lint   - ruff"
	@echo "make serve  - the production stack (nginx + gunicorn, DEBUG off) on http://127.0.0.1:8880/"
	@echo "make bench  - generated newsroom, production stack, wrk, beside WordPress (deploy/README.md)"

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0

run: setup
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin
	@echo "Serving the newsroom on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: install
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "######################################################################"; \
		echo "## WARNING: /usr/bin/chromium is missing: browser tests are SKIPPED. ##"; \
		echo "## Install it with: apt-get install chromium                        ##"; \
		echo "######################################################################"; \
	fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/ruff check .

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

messages: install
	$(MANAGE) makemessages -l ar --ignore=.venv --ignore=staticfiles --ignore=media
	$(MANAGE) compilemessages --ignore=.venv

lock:
	$(PYTHON) -m venv /tmp/newsroom-lock-venv
	/tmp/newsroom-lock-venv/bin/pip install --quiet ".[test]"
	/tmp/newsroom-lock-venv/bin/pip freeze --exclude newsroom > requirements.lock

clean-db:
	@echo "Removing the embedded database in .pgdata (the demo newsroom will be reloaded)."
	-$(BIN)/python -c 'import pgserver, pathlib; s = pgserver.get_server(pathlib.Path(".pgdata").resolve(), cleanup_mode="delete"); s.cleanup()'

# The production stack on loopback: nginx (Debian's package, installed if missing) in front of
# gunicorn. SERVE_PORT, GUNICORN_WORKERS, MICROCACHE=off, NEWSROOM_PAGE_CACHE=0: see deploy/.
serve: install
	bash deploy/serve.sh run

# Generated newsroom (own database), production stack, wrk -t2 -c32 -d15s, peers beside us.
bench: install
	$(BIN)/python deploy/bench.py
