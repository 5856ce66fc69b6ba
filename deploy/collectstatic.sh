#!/usr/bin/env bash
# collectstatic into staticfiles/, one run at a time: `make setup`, `make serve`'s stack
# (deploy/serve.sh) and the cluster's tooling (tools/cluster/engines.py) all fill that folder,
# and two runs at once on an empty folder trip over each other's files (a clean clone's test
# run starts several). The one place the lock is named. PY: the Python to run manage.py with.
#
# Skipped when nothing is newer than the last run's manifest: a run re-hashes every file,
# deleting and writing each again, and an app server of another stack starting meanwhile
# (WhiteNoise lists the folder as it loads) found a file gone and did not start. `--clear`
# always runs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"
mkdir -p "$ROOT/.local"
cd "$ROOT"
exec flock "$ROOT/.local/collectstatic.lock" bash -c '
    manifest="$1/staticfiles/staticfiles.json"
    shift
    py="$1"
    shift
    case " $* " in *" --clear "*) ;; *)
        if [ -f "$manifest" ] && [ -z "$(find ./static ./*/static ./.venv/lib -path "*/static/*" \
                -type f -newer "$manifest" -print -quit 2>/dev/null)" ]; then
            exit 0  # up to date
        fi
    esac
    exec "$py" manage.py collectstatic "$@"
' collectstatic "$ROOT" "$PY" "$@"
