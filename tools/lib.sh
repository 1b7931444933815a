# Shared set-up for bin/run and bin/test: Python 3.7 virtual environment, lessc, and a
# project-local PostgreSQL cluster owned by a non-root user. Every step is idempotent:
# the first run builds, later runs find everything in place and take seconds.
#
# Overridable: SA_STATE_DIR (cluster, node modules, config; default .state/),
#              SA_VENV (virtual environment; default .venv/), SA_PYTHON (a python3.7).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE=${SA_STATE_DIR:-$ROOT/.state}
VENV=${SA_VENV:-$ROOT/.venv}
PY=$VENV/bin/python
mkdir -p "$STATE"

say() { printf '[sales_attribution] %s\n' "$*" >&2; }
die() { printf '[sales_attribution] %s\n' "$*" >&2; exit 2; }

# --- Python 3.7 virtual environment with pinned dependencies -----------------------
find_python37() {
    local c
    for c in "${SA_PYTHON:-}" python3.7 /root/.pyenv/versions/3.7.*/bin/python3.7 \
             /usr/local/bin/python3.7 /usr/bin/python3.7; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info[:2] == (3, 7)' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    return 1
}

ensure_venv() {
    local want have=""
    # pylint pragma lines of prune_addons.py change nothing it does: not hashed
    want=$(cat "$ROOT/tools/requirements.txt" <(sed '/^# pylint: /d' "$ROOT/tools/prune_addons.py") \
        | sha1sum | cut -c1-16)
    [ -f "$VENV/.sa-requirements" ] && have=$(cat "$VENV/.sa-requirements")
    if [ -x "$PY" ] && [ "$want" = "$have" ]; then return 0; fi
    local py37
    py37=$(find_python37) || die "Python 3.7 is required (Odoo 11 runs on 3.5-3.7): install it, e.g. 'pyenv install 3.7.16', or set SA_PYTHON to its path."
    say "building the virtual environment in $VENV (a few minutes, once)"
    [ -x "$PY" ] || "$py37" -m venv "$VENV"
    "$PY" -m pip install -q --disable-pip-version-check -U "pip<24" wheel "setuptools<58"
    # vatnumber (needed by Odoo's base) uses setuptools' removed use_2to3: build it with
    # the old setuptools above instead of pip's isolated, current one.
    "$PY" -m pip install -q --disable-pip-version-check --no-build-isolation vatnumber==1.2
    "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/tools/requirements.txt"
    # OCA addons declare a dependency on an 'odoo' distribution that PyPI does not have.
    "$PY" -m pip install -q --disable-pip-version-check --no-deps odoo11-addon-report-xlsx==11.0.1.0.6
    local site
    site=$("$PY" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')
    "$PY" "$ROOT/tools/prune_addons.py" "$site/addons" >&2
    echo "$want" > "$VENV/.sa-requirements"
}

# --- lessc, which Odoo 11's web client calls to compile its stylesheets --------------
ensure_lessc() {
    local bin=$STATE/node/node_modules/.bin
    if [ ! -x "$bin/lessc" ]; then
        command -v npm >/dev/null 2>&1 || die "npm is required to install lessc for the web client: install Node.js and npm (apt-get install nodejs npm)."
        say "installing lessc with npm"
        npm install --silent --no-audit --no-fund --prefix "$STATE/node" less@3.13.1 less-plugin-clean-css@1.5.1 >/dev/null
    fi
    export PATH=$bin:$PATH
}

# --- project-local PostgreSQL cluster ------------------------------------------------
find_pgbin() {
    local d
    for d in ${SA_PGBIN:-} /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' OS
# user (created if missing); as anyone else it is the invoking user's.
pg_as() {
    if [ "$(id -u)" = 0 ]; then
        su -s /bin/sh "$PGOSUSER" -c "$*"
    else
        sh -c "$*"
    fi
}

ensure_pg() {
    PGBIN=$(find_pgbin) || die "PostgreSQL server binaries (initdb, pg_ctl) are required: install them, e.g. 'apt-get install postgresql'."
    PGOSUSER=$(id -un)
    if [ "$(id -u)" = 0 ]; then
        PGOSUSER=postgres
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/sh postgres
    fi
    PGDIR=$STATE/pg
    mkdir -p "$PGDIR"
    # The cluster's owner must reach its folder; a checkout under a private home is not
    # reachable for 'postgres', so the cluster then lives in /tmp, keyed by the path.
    if [ "$(id -u)" = 0 ]; then
        chown "$PGOSUSER" "$PGDIR"
        if ! su -s /bin/sh "$PGOSUSER" -c "test -w '$PGDIR'"; then
            PGDIR=/tmp/sales_attribution-pg-$(echo "$STATE" | sha1sum | cut -c1-10)
            mkdir -p "$PGDIR"; chown "$PGOSUSER" "$PGDIR"; chmod 700 "$PGDIR"
        fi
    fi
    PGDATA=$PGDIR/data
    PGHOST=$PGDIR/run
    # One port per state folder, so several checkouts can run side by side.
    PGPORT=${SA_PGPORT:-$((54000 + $(echo "$STATE" | cksum | cut -d' ' -f1) % 900))}
    PGUSER=odoo
    export PGHOST PGPORT PGUSER PGDATABASE=postgres
    (
        flock 9
        if [ ! -f "$PGDATA/PG_VERSION" ]; then
            say "creating the PostgreSQL cluster in $PGDATA"
            pg_as "mkdir -p '$PGDATA' '$PGHOST' && '$PGBIN/initdb' -D '$PGDATA' -U postgres --auth=trust -E UTF8 --locale=C >'$PGDIR/initdb.log' 2>&1" \
                || die "initdb failed: see $PGDIR/initdb.log"
        fi
        if ! pg_as "'$PGBIN/pg_ctl' -D '$PGDATA' status" >/dev/null 2>&1; then
            pg_as "mkdir -p '$PGHOST'"
            # 9>&-: the server must not inherit (and so hold forever) the lock
            pg_as "'$PGBIN/pg_ctl' -D '$PGDATA' -w -t 60 -l '$PGDIR/server.log' -o \"-k '$PGHOST' -p $PGPORT -c listen_addresses='' -c fsync=off -c max_connections=200\" start" >/dev/null 9>&- \
                || die "PostgreSQL did not start: see $PGDIR/server.log"
        fi
        # Odoo refuses to connect as 'postgres': a dedicated superuser role it uses.
        if ! psql -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1; then
            psql -U postgres -qc "CREATE ROLE odoo SUPERUSER LOGIN" >/dev/null
        fi
    ) 9>"$STATE/pg.lock"
}

db_exists() { psql -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

# --- Odoo ------------------------------------------------------------------------------
ADDONS_PATH=""
odoo_env() {
    local site
    site=$("$PY" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')
    ADDONS_PATH=$site/addons,$ROOT
    # The base wheel ships website_crm without website_form: do not import every
    # addon's controllers at start, only those of installed modules.
    export ODOO_PRELOAD_ADDONS=no
}

odoo() {
    "$PY" "$ROOT/tools/odoo-bin" --addons-path="$ADDONS_PATH" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user=odoo --db_password=odoo "$@"
}

ensure_all() {
    ensure_venv
    ensure_lessc
    ensure_pg
    odoo_env
}

# template_db demo|nodemo -> name of a database with the addon's dependencies installed
# (built once, copied by bin/test, tools/odoo_test_one and bench/run)
template_db() {  # demo|nodemo -> name of a database with the dependencies installed
    local mode=$1 key name deps
    deps=$("$PY" -c "import ast,sys; m=ast.literal_eval(open(sys.argv[1]).read()); print(','.join(m['depends']))" "$ROOT/sales_attribution/__manifest__.py")
    key=$(printf '%s %s' "$deps" "$(cat "$VENV/.sa-requirements")" | sha1sum | cut -c1-8)
    name=sa_tmpl_${mode}_$key
    # one builder at a time: parallel runs of bin/test, tools/odoo_test_one or
    # bench/run on one cluster wait for the first to finish the template
    (
        flock 8
        if ! db_exists "$name"; then
            say "building template database $name ($deps)"
            local demo=()
            [ "$mode" = nodemo ] && demo=(--without-demo=all)
            psql -qc "DROP DATABASE IF EXISTS \"$name.tmp\"" >/dev/null 2>&1 || true
            odoo -d "$name.tmp" -i "$deps" "${demo[@]}" --stop-after-init --log-level=warn \
                >"${OUT:-/tmp}/$name.log" 2>&1 || { cat "${OUT:-/tmp}/$name.log" >&2; die "could not install $deps"; }
            # kept only when every dependency is really installed (Odoo can exit 0
            # after a failed module, e.g. a serialization failure during the install)
            local want got
            want=$(echo "$deps" | tr ',' '\n' | wc -l)
            got=$(psql -d "$name.tmp" -tAc "SELECT count(*) FROM ir_module_module
                WHERE state = 'installed' AND name = ANY(string_to_array('$deps', ','))")
            [ "$got" = "$want" ] || die "could not install $deps (template $name.tmp has $got of $want)"
            psql -qc "ALTER DATABASE \"$name.tmp\" RENAME TO \"$name\"" >/dev/null 2>&1 \
                || db_exists "$name" || die "could not keep template $name"
        fi
    ) 8>"$STATE/template-$mode.lock" || exit $?
    echo "$name"
}

# --- a real Odoo server for tests that go through HTTP (XML-RPC clients, browser) -----
free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server DB LOGFILE [extra odoo args...]: starts Odoo on a free 127.0.0.1 port in
# the background, waits until /web/login answers, and sets SERVER_PID and SERVER_URL.
start_server() {
    local db=$1 log=$2 port i
    shift 2
    port=$(free_port)
    "$PY" "$ROOT/tools/odoo-bin" --addons-path="$ADDONS_PATH" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user=odoo --db_password=odoo \
        -d "$db" --db-filter="^$db\$" --http-interface=127.0.0.1 --http-port="$port" \
        --longpolling-port="$(free_port)" --logfile="$log" "$@" &
    SERVER_PID=$!
    SERVER_URL=http://127.0.0.1:$port
    for i in $(seq 1 120); do
        if curl -fs -o /dev/null "$SERVER_URL/web/login"; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$log" >&2; die "Odoo did not start"; }
        sleep 1
    done
    stop_server
    die "Odoo did not answer on $SERVER_URL within 120 s"
}

stop_server() {
    [ -n "${SERVER_PID:-}" ] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    # workers exit with their master; wait so that the database can be dropped
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# --- browser tests: Debian's Chromium and its driver, and a Python 3 venv with Selenium --
# The e2e client runs on the system Python (3.8+; Debian 12 has 3.11), apart from Odoo's
# 3.7 environment: Selenium 4 no longer supports 3.7. Overridable: SA_E2E_VENV (default
# .venv-e2e/), SA_E2E_PYTHON (the interpreter it is built with).
E2E_VENV=${SA_E2E_VENV:-$ROOT/.venv-e2e}
E2E_PY=$E2E_VENV/bin/python

ensure_browser() {
    if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
        return 0
    fi
    [ "$(id -u)" = 0 ] || die "the browser tests need Debian's chromium and chromium-driver: run 'apt-get install -y chromium chromium-driver' as root."
    say "installing chromium and chromium-driver (apt-get)"
    (
        export DEBIAN_FRONTEND=noninteractive
        # fonts-noto-cjk: without it the screenshots show Chinese as empty boxes
        apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-cjk
    ) >"$STATE/apt-chromium.log" 2>&1 || die "apt-get install chromium chromium-driver failed: see $STATE/apt-chromium.log"
}

# --- PDF: Odoo 11 prints reports through wkhtmltopdf (found on PATH); Chinese needs CJK
# fonts or it prints as empty boxes; the tests read the PDFs back with poppler's
# pdftotext. Debian 12: wkhtmltopdf 0.12.6, fonts-noto-cjk, poppler-utils.
ensure_pdf() {
    local missing=()
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
    fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
    [ ${#missing[@]} = 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "printing PDFs in Chinese needs ${missing[*]}: run 'apt-get install -y wkhtmltopdf fonts-noto-cjk poppler-utils' as root."
    say "installing ${missing[*]} (apt-get)"
    (
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends \
            wkhtmltopdf fonts-noto-cjk poppler-utils
    ) >"$STATE/apt-pdf.log" 2>&1 || die "apt-get install wkhtmltopdf fonts-noto-cjk poppler-utils failed: see $STATE/apt-pdf.log"
}

find_python3_e2e() {
    local c
    for c in "${SA_E2E_PYTHON:-}" /usr/bin/python3 python3.11 python3.12 python3.13 python3; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 9)' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    return 1
}

ensure_e2e_venv() {
    local want have="" py3
    want=$(sha1sum <"$ROOT/tools/requirements-e2e.txt" | cut -c1-16)
    [ -f "$E2E_VENV/.sa-requirements" ] && have=$(cat "$E2E_VENV/.sa-requirements")
    if [ -x "$E2E_PY" ] && [ "$want" = "$have" ]; then return 0; fi
    py3=$(find_python3_e2e) || die "the browser tests need Python >= 3.9 with venv (apt-get install python3-venv), or SA_E2E_PYTHON set to one."
    say "building the browser test environment in $E2E_VENV"
    [ -x "$E2E_PY" ] || "$py3" -m venv "$E2E_VENV"
    "$E2E_PY" -m pip install -q --disable-pip-version-check -r "$ROOT/tools/requirements-e2e.txt"
    echo "$want" > "$E2E_VENV/.sa-requirements"
}

ensure_e2e() {
    ensure_browser
    ensure_e2e_venv
}

# --- lint: flake8 and pylint-odoo in a venv of their own on the system Python 3 ------
# pylint-odoo's current releases need Python >= 3.10 and Odoo's .venv is 3.7, so, like
# .venv-e2e, the linters live apart (tools/requirements-lint.txt; the same pins as
# .pre-commit-config.yaml). Overridable: SA_LINT_VENV (default .venv-lint/), and
# SA_E2E_PYTHON also chooses the interpreter it is built with.
LINT_VENV=${SA_LINT_VENV:-$ROOT/.venv-lint}
LINT_PY=$LINT_VENV/bin/python

ensure_lint_venv() {
    local want have="" py3
    want=$(sha1sum <"$ROOT/tools/requirements-lint.txt" | cut -c1-16)
    [ -f "$LINT_VENV/.sa-requirements" ] && have=$(cat "$LINT_VENV/.sa-requirements")
    if [ -x "$LINT_PY" ] && [ "$want" = "$have" ]; then return 0; fi
    py3=$(find_python3_e2e) && "$py3" -c 'import sys; assert sys.version_info >= (3, 11)' \
        || die "the lint phase needs Python >= 3.11 with venv (apt-get install python3-venv), or SA_E2E_PYTHON set to one."
    say "building the lint environment in $LINT_VENV"
    [ -x "$LINT_PY" ] || "$py3" -m venv "$LINT_VENV"
    "$LINT_PY" -m pip install -q --disable-pip-version-check -r "$ROOT/tools/requirements-lint.txt"
    echo "$want" > "$LINT_VENV/.sa-requirements"
}
