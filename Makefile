# The two commands a newcomer needs: `make run` and `make test`. Only python3 (3.11+) and make
# are assumed; everything else (virtualenv, packages, the embedded PostgreSQL) is set up here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install lint format migrations-check messages lock db-stop clean-db help \
	bench-search bench-cache screenshots import bench-import bench-scale backup restore faults bench-views serve bench \
	bench-live cluster cluster-drill bench-wires bench-front bench-push

help:
	@echo "make run    - set everything up and serve the demo newsroom on http://$(HOST):$(PORT)/"
	@echo "make test   - set everything up and run the whole test suite"
	@echo "make lint   - ruff"
	@echo "make import FILES=... - import a WordPress export (WXR) or saved legacy pages"
	@echo "make backup - dump the database and media/ into backups/<time>/"
	@echo "make restore [BACKUP=backups/<time>] - restore a backup (the latest by default)"
	@echo "make faults - restart PostgreSQL under load; count 5xx, recovery time, lost writes"
	@echo "make serve  - the production stack (nginx + gunicorn, DEBUG off) on http://127.0.0.1:8880/"
	@echo "make bench  - generated newsroom, production stack, wrk, beside WordPress (docs/benchmarks.md)"
	@echo "make bench-wires - 10,000 agency items ingested: items per second and peak memory"
	@echo "make bench-live - 1,000 readers polling a live page: entry-to-reader delay, req/s, queries/s"
	@echo "make bench-push - one breaking article pushed to 100,000 browsers: time, deliveries/s, RSS"
	@echo "make cluster - primary + replica, Redis, S3 (moto), two app servers behind nginx (docs/scale-out.md)"
	@echo "make cluster-drill - kill an app server, stop the replica, restart Redis and the primary under load"

# pip compiles every installed module one at a time (29 s in all here); installing without it
# and compiling on every core after (compileall -j 0) takes 25 s, and leaves no module for the
# test run's processes to compile at once on first import (which cost it 15 s more).
# Not compiled: what nothing here imports (about half the files: sympy, networkx and cfn-lint,
# which moto[server] pulls in, and moto's services but S3 and those its server loads), 6.5 s
# instead of 10.6 s; Python compiles them on import if anything ever does.
NOT_IMPORTED := /site-packages/(sympy|networkx|cfnlint|mpmath|pip|setuptools)/|/site-packages/moto/(?!(__init__|backend_index|backends|cloudwatch|core|events|iam|moto_api|moto_server|s3|s3bucket_path|server|settings|sts|utilities)\b)
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -r requirements.lock
	$(BIN)/python -m compileall -q -j 0 -x '$(NOT_IMPORTED)' $(VENV)/lib >/dev/null || echo "compileall: some files did not compile (Python tries again on import)"
	@touch $(STAMP)

install: $(STAMP)

setup: install
	$(MANAGE) migrate --noinput
	PY=$(BIN)/python deploy/collectstatic.sh --noinput --verbosity 0

run: setup
	NEWSROOM_SITE_DOMAIN=$(HOST):$(PORT) $(MANAGE) load_demo
	$(MANAGE) ensure_admin --site-url http://$(HOST):$(PORT)/
	$(MANAGE) two_factor_status "$${NEWSROOM_ADMIN_USER:-admin}" --site-url http://$(HOST):$(PORT)/
	@echo "Serving the newsroom on http://$(HOST):$(PORT)/ (Ctrl-C to stop), with a job runner"
	@# The periodic jobs' runner beside the server, as in production (deliveries to Telegram
	@# and web push, agency wires); it stops with the server.
	$(MANAGE) run_jobs --verbosity 0 & runner=$$!; trap 'kill $$runner 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

# axe-core (npm registry) for the browser tests' WCAG checks: injected by the tests, never served.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $(AXE); \
	else echo "## WARNING: npm is missing: the accessibility (axe-core) checks are SKIPPED. ##"; fi

# Three workers (pytest-xdist) on two cores, each with its own test database (a copy of one
# migrated template, tests/template_db.py) and Chromium; the tests that start a stack of their
# own stay on one worker (tests/conftest.py). The suite waits more than it computes (stacks
# starting, Chromium's round trips: 65% of two cores used with two workers), so a third worker
# fills the gaps: 5:27 against 5:51 for two in one session's runs, and 4:56 with the test
# databases' commits not waiting for the disk (tests/conftest.py). PYTEST_XDIST= runs in one
# process.
PYTEST_XDIST ?= -n 3 --dist loadgroup
test: install $(AXE)
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "######################################################################"; \
		echo "## WARNING: /usr/bin/chromium is missing: browser tests are SKIPPED. ##"; \
		echo "## Install it with: apt-get install chromium                        ##"; \
		echo "######################################################################"; \
	fi
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_XDIST) --durations=15 $(PYTEST_ARGS)

# Screenshots of the demo newsroom in Chromium for the README (docs/screenshots/).
screenshots: setup
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin --site-url http://$(HOST):$(PORT)/
	$(BIN)/python tools/screenshots.py

# Import an archive: make import FILES="export.xml pages/" [ARGS="--dry-run --uploads DIR"]
import: setup
	@test -n "$(FILES)" || (echo 'Usage: make import FILES="export.xml pages/" [ARGS="--dry-run"]'; exit 2)
	$(MANAGE) import_archive $(FILES) $(ARGS)

# Time the import on a generated export (kept in .local/bench/, git-ignored), then the re-run that
# changes nothing: posts/s, items/s, first and last tenth, peak RSS. POSTS=10000 by default.
POSTS ?= 10000
bench-import: install
	$(BIN)/python tools/bench/import_bench.py $(POSTS)

# Every maintenance job timed on a big newsroom (ARTICLES=1000000 generated once in
# bench_scale by streamed COPY, reused later; SCALE_ARGS=--regenerate to make it again,
# SCALE_ARGS="--database bench_import" for an imported archive). At 1M: 15-21 min to generate,
# 7.5 GB of database, a ~750 MiB dump in /tmp while the backup runs (docs/archive-import.md).
ARTICLES ?= 1000000
bench-scale: install
	$(BIN)/python tools/bench/scale_bench.py --articles $(ARTICLES) $(SCALE_ARGS)
# The home page rendered uncached: today's automatic page and the editors' 12-block layout side
# by side in one run (FRONT_ARTICLES=100000 generated once in bench_front); fails when the
# layout is more than 10 % slower.
FRONT_ARTICLES ?= 100000
bench-front: install
	$(BIN)/python tools/bench/front_page_bench.py --articles $(FRONT_ARTICLES)

backup: install
	$(MANAGE) backup

restore: install
	$(MANAGE) restore $(BACKUP)

# A scratch PostgreSQL in a temporary folder (never the demo or test data); about 25 s.
faults: install
	$(BIN)/python tools/drills/fault_drill.py

# The newsroom on a cluster of real engines on loopback (docs/scale-out.md): PostgreSQL primary and
# streaming replica, redis-server, moto's S3 server, two gunicorn app servers behind nginx, the
# demo loaded; in the foreground, Ctrl-C stops it. CLUSTER_PORT, CLUSTER_APP_SERVERS.
cluster: install
	$(BIN)/python tools/cluster/cluster.py

# Four faults in turn under load on a scratch cluster; lost comments or views fail it (~1.5 min).
cluster-drill: install
	$(BIN)/python tools/drills/cluster_drill.py

# View counter throughput: wrk (Debian's package) against gunicorn on a loopback port, then
# against the production stack (deploy/serve.sh: nginx + gunicorn), then the write path alone.
# Prints counted views/second, CPU per view, the machine's load and sent vs stored.
# BENCH_SECONDS=10 by default; about a minute and a half in all.
# Live coverage: 100 then 1,000 readers polling the updates endpoint through the production
# stack (nginx + gunicorn on 127.0.0.1:8881, database bench_live) while an entry is posted every
# 3 s: entry-to-reader delay p50/p95, answers/s, database transactions/s; then wrk on the
# endpoint. About a minute and a half. BENCH_LIVE_ARGS="--readers 1000 --seconds 30".
bench-live: setup
	$(BIN)/python tools/bench/live_bench.py $(BENCH_LIVE_ARGS)

# Web push fan-out: one breaking article to 10,000 then 100,000 subscriptions (database
# bench_push, written by COPY) against a loopback push service (asyncio, counts every message,
# checks one in 500), sent by 2 processes as run_jobs sends. Prints time to the last delivery,
# deliveries/s (goal 2,000), the senders' peak RSS (flat in the subscriptions) and database
# statements; exits 1 naming the part that failed. About 2 minutes. BENCH_PUSH_ARGS="--runners 3".
bench-push: install
	$(BIN)/python tools/bench/push_bench.py $(BENCH_PUSH_ARGS)

bench-views: setup
	@command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
	$(BIN)/python tools/bench/views_bench.py --mode http
	$(BIN)/python tools/bench/views_bench.py --mode db --seconds 3

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

db-stop:
	@if [ -f .pgdata/postmaster.pid ]; then \
		kill -TERM $$(head -1 .pgdata/postmaster.pid) && echo "Embedded PostgreSQL stopped."; \
	else echo "Embedded PostgreSQL is not running."; fi

clean-db: db-stop
	@sleep 2
	@echo "Removing the embedded database in .pgdata (the demo newsroom will be reloaded)."
	rm -rf .pgdata

# File cache: set/get latency at 1k and 100k entries, ours beside Django's (about 30 s).
bench-cache: install
	$(BIN)/python tools/bench/cache_bench.py

bench-search: install
	$(BIN)/python tools/bench/search_bench.py $(BENCH_SEARCH_ARGS)

# Agency wires: 10,000 generated items (RSS, Atom, NewsML-G2, ninjs) from a loopback agency,
# polled, re-polled (304) and updated; items/s and memory (goal: >= 1,000 items/s, flat).
bench-wires: install
	$(BIN)/python tools/bench/wires_bench.py $(BENCH_WIRES_ARGS)

# The production stack on loopback: nginx (Debian's package, installed if missing) in front of
# gunicorn. SERVE_PORT, GUNICORN_WORKERS, MICROCACHE=off, NEWSROOM_PAGE_CACHE=0: see deploy/.
serve: install
	bash deploy/serve.sh run

# Generated newsroom (own database), production stack, wrk -t2 -c32 -d15s, peers beside us.
bench: install
	$(BIN)/python tools/bench/stack_bench.py
