#!/usr/bin/env bash
# The production stack on this machine, on loopback: gunicorn (deploy/gunicorn.conf.py) on a
# Unix socket behind nginx (deploy/nginx.conf.template), DEBUG off, static files collected
# and fingerprinted, media served by nginx.
#
#   deploy/serve.sh run     start, stay in the foreground, stop both on Ctrl-C (`make serve`)
#   deploy/serve.sh start   start in the background      deploy/serve.sh stop   stop both
#
# Knobs (environment): SERVE_PORT (8880), NEWSROOM_DB_NAME (newsroom), GUNICORN_WORKERS
# (cores + 1), GUNICORN_THREADS (16; 1: sync workers), NEWSROOM_TRUSTED_PROXY_COUNT (1: the
# nginx in front), MICROCACHE (on|off: nginx's
# microcache), NEWSROOM_PAGE_CACHE (1|0: Django's page cache), SERVE_STATE
# (.local/serve-<db>), ACCESS_LOG (off, or a path).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PY="$ROOT/.venv/bin/python"
DB="${NEWSROOM_DB_NAME:-newsroom}"
PORT="${SERVE_PORT:-8880}"
STATE="${SERVE_STATE:-$ROOT/.local/serve-$DB}"
MICROCACHE="${MICROCACHE:-on}"
export DJANGO_DEBUG=0 NEWSROOM_SERVE_MEDIA=0 NEWSROOM_DB_NAME="$DB"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}"
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-600}"
# nginx in front appends the reader's address to X-Forwarded-For (newsroom/client.py): one
# proxy to trust. Add one for each proxy in front of this nginx (a load balancer, a CDN).
export NEWSROOM_TRUSTED_PROXY_COUNT="${NEWSROOM_TRUSTED_PROXY_COUNT:-1}"

log() { printf '[serve %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# A daemon that has exited stays a zombie until PID 1 reaps it (in some containers a second or
# more later): kill -0 still succeeds on it, so it counts as running only if not a zombie.
running() { kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }

alive() { [ -s "$1" ] && running "$(cat "$1")"; }

ensure_nginx() {
    command -v nginx >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing nginx from Debian's packages"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
            || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null 2>&1 || true
    fi
    command -v nginx >/dev/null || { log "nginx is missing and cannot be installed"; exit 3; }
}

render_nginx_conf() {
    local cache=pages
    [ "$MICROCACHE" = on ] || cache=off
    mkdir -p "$STATE/tmp"
    sed -e "s#@STATE@#$STATE#g" \
        -e "s#@LISTEN@#127.0.0.1:$PORT#g" \
        -e "s#@UPSTREAM@#unix:$STATE/gunicorn.sock#g" \
        -e "s#@VIEWS_UPSTREAM@#unix:$STATE/gunicorn-views.sock#g" \
        -e "s#@STATIC_ROOT@#$ROOT/staticfiles#g" \
        -e "s#@MEDIA_ROOT@#${NEWSROOM_MEDIA_ROOT:-$ROOT/media}#g" \
        -e "s#@SESSION_COOKIE@#sessionid#g" \
        -e "s#@PROXY_CACHE@#$cache#g" \
        -e "s#@ACCESS_LOG@#${ACCESS_LOG:-off}#g" \
        deploy/nginx.conf.template > "$STATE/nginx.conf"
}

start() {
    ensure_nginx
    mkdir -p "$STATE"
    chmod 755 "$STATE"  # nginx's workers (an unprivileged user) use the socket and microcache
    if alive "$STATE/gunicorn.pid" || alive "$STATE/gunicorn-views.pid" || alive "$STATE/nginx.pid"; then
        log "already running (state in $STATE); stop it first"; exit 1
    fi
    [ -x "$PY" ] || { log "run make install first"; exit 1; }
    "$PY" manage.py migrate --noinput --verbosity 0
    PY="$PY" "$ROOT/deploy/collectstatic.sh" --noinput --verbosity 0  # one at a time
    render_nginx_conf
    rm -rf "$STATE/microcache"
    # Two pools (deploy/gunicorn.conf.py): pages on sync workers, the view counter threaded.
    GUNICORN_POOL=pages GUNICORN_BIND="unix:$STATE/gunicorn.sock" "$ROOT/.venv/bin/gunicorn" \
        -c deploy/gunicorn.conf.py --pid "$STATE/gunicorn.pid" --daemon \
        --error-logfile "$STATE/gunicorn.log" newsroom.wsgi:application
    GUNICORN_POOL=views GUNICORN_BIND="unix:$STATE/gunicorn-views.sock" \
        "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py --pid "$STATE/gunicorn-views.pid" \
        --daemon --error-logfile "$STATE/gunicorn-views.log" newsroom.wsgi:application
    nginx -e "$STATE/nginx-error.log" -p "$STATE" -c "$STATE/nginx.conf" -t -q \
        || { stop; exit 4; }
    nginx -e "$STATE/nginx-error.log" -p "$STATE" -c "$STATE/nginx.conf"
    wait_ready
    log "serving http://127.0.0.1:$PORT/ (db $DB, microcache $MICROCACHE," \
        "page cache ${NEWSROOM_PAGE_CACHE:-1}, gunicorn pools pages and views:" \
        "deploy/gunicorn.conf.py)"
}

answers() {  # METHOD PATH: the status nginx gives (000: no answer, 502/504: no app behind)
    curl -s -o /dev/null -m 5 -X "$1" -w '%{http_code}' "http://127.0.0.1:$PORT$2" || true
}

# Both pools answer through nginx before start returns: a loaded machine can take many
# seconds to load Django in two masters at once, and a request before that is nginx's 502.
# Gives up (exit 5, with the pools' logs) after SERVE_START_TIMEOUT seconds (120).
wait_ready() {
    local deadline=$((SECONDS + ${SERVE_START_TIMEOUT:-120})) pages views
    while [ "$SECONDS" -lt "$deadline" ]; do
        pages="$(answers GET /)"
        views="$(answers GET /api/views/0/pixel.gif)"
        case "$pages$views" in
            *000*|*502*|*503*|*504*) ;;
            *) return 0 ;;
        esac
        for pool in gunicorn gunicorn-views; do
            # The pid file appears once the master has loaded Django; stale if it died since.
            if [ -s "$STATE/$pool.pid" ] && ! alive "$STATE/$pool.pid"; then
                log "$pool stopped while starting:"; tail -n 40 "$STATE/$pool.log" >&2 || true
                stop; exit 5
            fi
        done
        sleep 0.2
    done
    log "not ready after ${SERVE_START_TIMEOUT:-120} s (pages $pages, views $views)"
    tail -n 40 "$STATE/gunicorn.log" "$STATE/gunicorn-views.log" >&2 || true
    stop; exit 5
}

stop_all() {  # PIDFILE...: TERM each, wait for them together (10 s at most), then KILL
    local file pid pids=()
    for file; do
        alive "$file" && pids+=("$(cat "$file")")
    done
    for pid in ${pids[@]+"${pids[@]}"}; do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 200); do
        local left=0
        for pid in ${pids[@]+"${pids[@]}"}; do running "$pid" && left=1; done
        [ "$left" = 0 ] && break
        sleep 0.05
    done
    for pid in ${pids[@]+"${pids[@]}"}; do
        running "$pid" && kill -KILL "$pid" 2>/dev/null || true
    done
    rm -f "$@"
}

stop() {
    stop_all "$STATE/nginx.pid"  # no new requests first; then both pools at once
    stop_all "$STATE/gunicorn.pid" "$STATE/gunicorn-views.pid"
    log "stopped"
}

case "${1:-run}" in
    start) start ;;
    stop) stop ;;
    run)
        start
        trap 'trap - EXIT; stop; exit 0' INT TERM
        trap 'stop' EXIT
        log "Ctrl-C stops both"
        while alive "$STATE/nginx.pid" && alive "$STATE/gunicorn.pid" \
            && alive "$STATE/gunicorn-views.pid"; do sleep 1; done
        ;;
    *) echo "usage: $0 run|start|stop" >&2; exit 2 ;;
esac
