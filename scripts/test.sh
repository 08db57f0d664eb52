#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this). Works on a fresh Debian machine:
#   1. creates .venv (if missing) and installs requirements-dev.lock and the project (-e .);
#   2. installs Debian's postgresql, chromium, nginx-light + libnginx-mod-rtmp and ffmpeg if they are missing
#      (apt-get; sudo only when not root);
#   3. starts a throwaway PostgreSQL cluster on 127.0.0.1 (stopped and deleted on exit);
#   4. runs ruff (lint and format check) and mypy (the configurations are in pyproject.toml);
#   5. runs pytest on SQLite (everything, browser tests included), then on PostgreSQL (all but browser tests).
# Exits non-zero if any run fails. Options through the environment:
#   TAYBAC_TEST_WORKERS=2   pytest-xdist workers ("0" runs in one process)
#   TAYBAC_TEST_SKIP_PG=1   only the SQLite run (for a quick local check)
#   extra arguments are passed to both pytest runs, e.g. `bash scripts/test.sh tests/demo`
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
export DEBIAN_FRONTEND=noninteractive PIP_NO_INPUT=1 PYTHONDONTWRITEBYTECODE=1
WORKERS="${TAYBAC_TEST_WORKERS:-2}"
STARTED=$SECONDS

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nscripts/test.sh: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

APT_UPDATED=0
apt_install() {
    [ "$#" -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing $*, and this is not a Debian-like system: install them by hand"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root apt-get update -q || die "apt-get update failed"
        APT_UPDATED=1
    fi
    as_root apt-get install -y -q --no-install-recommends "$@" || die "apt-get install $* failed"
}

# --- 1. Python environment ---------------------------------------------------------------------
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
[ -n "$PYTHON" ] || die "python3 (3.11 or newer) is required"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "$PYTHON is older than Python 3.11"
if ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
    say "Creating .venv with $("$PYTHON" --version)"
    rm -rf .venv
    if ! "$PYTHON" -m venv .venv >/dev/null 2>&1; then
        # Debian ships venv/ensurepip separately.
        pyver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        rm -rf .venv
        apt_install "python${pyver}-venv"
        "$PYTHON" -m venv .venv || die "could not create .venv"
    fi
fi
STAMP=".venv/.taybac-installed"
WANT="$(cat requirements.lock requirements-dev.lock pyproject.toml verifier/pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    say "Installing requirements-dev.lock and the project into .venv"
    .venv/bin/python -m pip install -q -r requirements-dev.lock -e . || die "pip install failed"
    echo "$WANT" > "$STAMP"
fi

# --- 2. Debian packages: PostgreSQL, Chromium, nginx-rtmp and ffmpeg ------------------------------------------------
missing=()
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The live pages' own RTMP ingest (docs/selling-events.md): tests/campaigns/test_live_rtmp.py streams through it.
{ command -v nginx >/dev/null 2>&1 && [ -e /usr/lib/nginx/modules/ngx_rtmp_module.so ]; } || missing+=(nginx-light libnginx-mod-rtmp)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
if [ "${#missing[@]}" -gt 0 ]; then
    say "Installing Debian packages: ${missing[*]}"
    apt_install "${missing[@]}"
fi
CHROMIUM="$(command -v chromium || true)"
[ -n "$CHROMIUM" ] || die "chromium is not installed"
export TAYBAC_CHROMIUM="$CHROMIUM"   # Playwright drives Debian's Chromium; no browser download

# --- 3. A throwaway PostgreSQL cluster -----------------------------------------------------------
PG_DIR=""
PG_BIN=""
PG_USER=""
pg_as_owner() {  # from inside the cluster's directory, which the owner can always enter
    if [ -n "$PG_USER" ]; then (cd "$PG_DIR" && runuser -u "$PG_USER" -- "$@"); else (cd "$PG_DIR" && "$@"); fi
}
stop_pg() {
    if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
        if [ -f "$PG_DIR/data/postmaster.pid" ]; then
            pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1
        fi
        rm -rf "$PG_DIR"
    fi
}
trap stop_pg EXIT
trap 'exit 130' INT TERM

start_pg() {
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$PG_BIN/initdb" ] || die "Debian's PostgreSQL binaries were not found under /usr/lib/postgresql"
    PG_DIR="$(mktemp -d /tmp/taybac-ci-pg.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then
        # PostgreSQL refuses to run as root: the cluster belongs to Debian's `postgres` user.
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        PG_USER=postgres
        chown "$PG_USER" "$PG_DIR"
        chmod 700 "$PG_DIR"
    fi
    local port
    port="$(.venv/bin/python - <<'EOF'
import socket
for port in range(55432, 55532):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
EOF
)"
    [ -n "$port" ] || die "no free port for PostgreSQL in 55432–55531"
    local locale=C
    locale -a 2>/dev/null | grep -qix 'c.utf-\?8' && locale=C.UTF-8
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale="$locale" \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; die "initdb failed"; }
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$PG_DIR/server.log"; die "PostgreSQL did not start"; }
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE taybac LOGIN CREATEDB PASSWORD 'taybac'" \
        -c "CREATE DATABASE taybac OWNER taybac" >/dev/null || die "could not create the taybac role and database"
    PG_URL="postgres://taybac:taybac@127.0.0.1:$port/taybac"
    say "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_DIR)"
}

# --- 4. The runs -----------------------------------------------------------------------------------
REPORTS="$(mktemp -d /tmp/taybac-test-reports.XXXXXX)"
XDIST=()
[ "$WORKERS" != "0" ] && XDIST=(-n "$WORKERS")
declare -A RESULT

run_pytest() {  # name, then pytest arguments
    local name="$1"; shift
    say "pytest on $name"
    .venv/bin/python -m pytest "${XDIST[@]}" -p no:cacheprovider --junitxml="$REPORTS/$name.xml" "$@"
    local code=$?
    if [ "$code" -eq 5 ]; then code=0; fi   # no tests collected is not a failure
    RESULT[$name]=$code
}

run_check() {  # name, then the command
    local name="$1"; shift
    say "$name"
    "$@"
    RESULT[$name]=$?
}

run_check ruff .venv/bin/ruff check src tests bench verifier
run_check ruff-format .venv/bin/ruff format --check src tests bench verifier
run_check mypy .venv/bin/mypy --cache-dir=/dev/null  # no stale cache: ~10 s from scratch
run_pytest sqlite "$@"
if [ "${TAYBAC_TEST_SKIP_PG:-0}" = "1" ]; then
    say "Skipping the PostgreSQL run (TAYBAC_TEST_SKIP_PG=1)"
else
    start_pg
    TAYBAC_DATABASE_URL="$PG_URL" run_pytest postgresql -m "not browser" "$@"
fi

# --- Summary ----------------------------------------------------------------------------------------
status=0
line=""
for name in ruff ruff-format mypy sqlite postgresql; do
    [ -n "${RESULT[$name]+x}" ] || continue
    if [ "${RESULT[$name]}" -eq 0 ]; then line+="$name ok; "; else line+="$name FAILED (exit ${RESULT[$name]}); "; status=1; fi
done
totals="$(.venv/bin/python - "$REPORTS" <<'EOF'
import pathlib, sys
import xml.etree.ElementTree as ET
passed = failed = skipped = 0
for report in sorted(pathlib.Path(sys.argv[1]).glob("*.xml")):
    for suite in ET.parse(report).getroot().iter("testsuite"):
        tests, fail = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += tests - fail - skip
        failed += fail
        skipped += skip
print(f"{passed} passed, {failed} failed, {skipped} skipped")
EOF
)"
rm -rf "$REPORTS"
printf '\nscripts/test.sh: %s%ss\n' "$line" "$((SECONDS - STARTED))"
echo "total: $totals"
exit $status
