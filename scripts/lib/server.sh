# Shared by scripts/fuzz/run and scripts/browser/run: build `cooperage`, serve it on a throwaway embedded cluster
# on a free port, wait until it is ready, and stop it (and a cluster a crashed server left behind).
# Source it, then call server_start WORK_DIR REPO PYTHON; it sets SERVER_PID, SERVER_BASE and SERVER_ADMIN_TOKEN.
# COOPERAGE_BIN: a built cooperage executable to use instead of `swift build --product cooperage`.

server_log() { echo "${SERVER_LOG_PREFIX:-server}: $*" >&2; }

# 0 when the URL answers 200 within 10 s (Python rather than curl: one tool fewer on a fresh machine).
server_answers() {
    "$SERVER_PYTHON" -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=10).status == 200 else 1)' \
        "$1" >/dev/null 2>&1
}

server_start() {
    SERVER_WORK="$1"
    local repo="$2"
    SERVER_PYTHON="$3"
    chmod 755 "$SERVER_WORK"   # PostgreSQL runs as `postgres` when this runs as root; it must reach the cluster's folder.
    local built
    if [ -n "${COOPERAGE_BIN:-}" ]; then
        built="$COOPERAGE_BIN"
    else
        server_log "building cooperage"
        (cd "$repo" && swift build --product cooperage >&2)
        built="$(cd "$repo" && swift build --show-bin-path)/cooperage"
    fi
    # A private copy (with its resource bundles, which it finds beside itself), so a rebuild of the shared
    # .build during the run does not replace the server under test.
    cp "$built" "$SERVER_WORK/cooperage"
    cp -R "$(dirname "$built")"/*.resources "$SERVER_WORK/" 2>/dev/null || true

    local port
    port="$("$SERVER_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    SERVER_ADMIN_TOKEN="$("$SERVER_PYTHON" -c 'import secrets; print(secrets.token_hex(20))')"
    SERVER_BASE="http://127.0.0.1:$port"
    server_log "starting the server on $SERVER_BASE (cluster in $SERVER_WORK/postgres)"
    (
        cd "$repo"
        exec env HTTP_HOST=127.0.0.1 HTTP_PORT="$port" BOOTSTRAP_ADMIN_TOKEN="$SERVER_ADMIN_TOKEN" \
            DATABASE_EMBEDDED_DIRECTORY="$SERVER_WORK/postgres" DATABASE_URL= LOG_LEVEL=warning \
            WEBHOOKS_DELIVER=false "$SERVER_WORK/cooperage" serve
    ) >"$SERVER_WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        if server_answers "$SERVER_BASE/health/ready"; then return 0; fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            server_log "the server stopped before it was ready:"; tail -n 30 "$SERVER_WORK/server.log" >&2; return 1
        fi
        sleep 0.5
    done
    server_log "the server is not ready after 120 s"; tail -n 30 "$SERVER_WORK/server.log" >&2; return 1
}

# Stops the server (TERM, then KILL after 30 s) and any cluster it left behind.
server_stop() {
    if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "${SERVER_WORK:-}" ] && [ -f "$SERVER_WORK/postgres/data/postmaster.pid" ]; then
        local pgctl
        pgctl="$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || true)"
        if [ -n "$pgctl" ]; then
            if [ "$(id -u)" = 0 ]; then
                runuser -u postgres -- "$pgctl" stop -D "$SERVER_WORK/postgres/data" -m immediate >/dev/null 2>&1 || true
            else
                "$pgctl" stop -D "$SERVER_WORK/postgres/data" -m immediate >/dev/null 2>&1 || true
            fi
        fi
    fi
}

# A Python virtual environment with the pinned packages of REQUIREMENTS, made once under a lock; prints its path.
server_venv() {
    local requirements="$1" name="$2" python="$3" digest venv
    digest="$({ cat "$requirements"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -c1-12)"
    venv="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cooperage-$name-$digest"
    if [ ! -f "$venv/.cooperage-ready" ]; then
        mkdir -p "$(dirname "$venv")"
        exec 9>"$venv.lock"
        if command -v flock >/dev/null; then flock 9; fi
        if [ ! -f "$venv/.cooperage-ready" ]; then
            server_log "creating the virtual environment $venv"
            rm -rf "$venv"
            "$python" -m venv "$venv" || { server_log "'$python -m venv' failed; on Debian or Ubuntu install python3-venv"; return 2; }
            "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
            touch "$venv/.cooperage-ready"
        fi
        exec 9>&-
    fi
    echo "$venv"
}
