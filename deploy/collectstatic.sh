#!/usr/bin/env bash
# collectstatic into staticfiles/, one run at a time: `make setup`, `make serve`'s stack
# (deploy/serve.sh) and the cluster's tooling (tools/cluster/engines.py) all fill that folder,
# and two runs at once on an empty folder trip over each other's files (a clean clone's test
# run starts several). The one place the lock is named. PY: the Python to run manage.py with.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
mkdir -p "$ROOT/.local"
cd "$ROOT"
exec flock "$ROOT/.local/collectstatic.lock" "$PY" manage.py collectstatic "$@"
