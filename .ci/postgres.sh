# shellcheck shell=bash
# Start a throw-away PostgreSQL server for the store tests and export RASAD_TEST_PG_URL.
#
# Sourced by .ci/run (`source .ci/postgres.sh`), so it never calls `exit` or changes the caller's
# shell options. Idempotent: a second source finds the running server and only re-exports the
# URL. It installs PostgreSQL from Debian packages when no server binaries exist, creates the
# cluster in a temporary directory owned by a non-root user (initdb refuses root), listens on
# 127.0.0.1 only, and leaves the server running for the rest of the CI job.
# Stop it with: runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D "${RASAD_PG_DIR:-/tmp/rasad-pg}" stop

_rasad_pg_start() {
    local dir="${RASAD_PG_DIR:-/tmp/rasad-pg}" port="${RASAD_PG_PORT:-55432}" db=rasad_test
    local bin run
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    if [ -z "$bin" ]; then
        echo "postgres.sh: installing postgresql from Debian packages" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
        bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
        [ -n "$bin" ] || { echo "postgres.sh: no server binaries after install" >&2; return 1; }
    fi
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
        mkdir -p "$dir" && chown postgres "$dir" && chmod 700 "$dir"
        run="runuser -u postgres --"
    else
        mkdir -p "$dir" && chmod 700 "$dir"
        run=""
    fi
    if [ ! -f "$dir/PG_VERSION" ]; then
        $run "$bin/initdb" -D "$dir" -A trust -U rasad -E UTF8 --locale=C >"$dir.initdb.log" 2>&1 \
            || { echo "postgres.sh: initdb failed, see $dir.initdb.log" >&2; return 1; }
    fi
    if ! $run "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        $run "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
            start >/dev/null || { echo "postgres.sh: server did not start, see $dir/server.log" >&2; return 1; }
    fi
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U rasad -d postgres -tAc \
            "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
        "$bin/createdb" -h 127.0.0.1 -p "$port" -U rasad "$db" || return 1
    fi
    export RASAD_TEST_PG_URL="postgresql://rasad@127.0.0.1:$port/$db"
    echo "postgres.sh: RASAD_TEST_PG_URL=$RASAD_TEST_PG_URL" >&2
}

_rasad_pg_start
unset -f _rasad_pg_start
