#!/usr/bin/env bash
# Refresh the translations of sales_attribution after strings were added or changed:
#   tools/i18n_export.sh
# 1. installs the addon (without demo data) on a throwaway database of the project's
#    cluster (copying bin/test's dependency template when one exists),
# 2. exports the template sales_attribution/i18n/sales_attribution.pot with
#    `odoo --i18n-export=... --modules=sales_attribution` (no -l: a template),
# 3. merges it into sales_attribution/i18n/zh_CN.po with tools/i18n_merge.py: existing
#    translations are kept, new strings get an empty msgstr and are listed.
# Then translate the listed entries in zh_CN.po (every msgstr non-empty) and run
# bin/test: tests/test_i18n.py fails and names any string left untranslated.
# Exit status 1 while entries are left to translate.
# Uses the same venv and cluster as bin/test: set SA_STATE_DIR/SA_VENV as for bin/test.
source "$(dirname "$0")/lib.sh"
ensure_all

I18N=$ROOT/sales_attribution/i18n
mkdir -p "$I18N"
DB=sa_i18n_$$_$(date +%s)
LOG=$(mktemp /tmp/sa-i18n.XXXXXX.log)
cleanup() { psql -qc "DROP DATABASE IF EXISTS \"$DB\"" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# bin/test keeps the dependencies (crm, event, report_xlsx) installed in a template
# database named after them and the requirements: copy it when it is there.
deps=$("$PY" -c "import ast,sys; m=ast.literal_eval(open(sys.argv[1]).read()); print(','.join(m['depends']))" "$ROOT/sales_attribution/__manifest__.py")
key=$(printf '%s %s' "$deps" "$(cat "$ROOT/tools/requirements.txt")" | sha1sum | cut -c1-8)
if db_exists "sa_tmpl_nodemo_$key"; then
    psql -qc "CREATE DATABASE \"$DB\" TEMPLATE \"sa_tmpl_nodemo_$key\"" >/dev/null
fi
say "installing sales_attribution on $DB (log: $LOG)"
odoo -d "$DB" -i sales_attribution --without-demo=all --stop-after-init \
    --log-level=warn --logfile="$LOG" || { cat "$LOG" >&2; die "install failed"; }
say "exporting $I18N/sales_attribution.pot"
# Odoo 11 picks the format from the extension and knows .po, not .pot: without -l the
# .po it writes is the template (empty msgstr).
TMP_POT=$(mktemp /tmp/sa-i18n.XXXXXX.po)
odoo -d "$DB" --i18n-export="$TMP_POT" --modules=sales_attribution \
    --stop-after-init --log-level=warn --logfile="$LOG" \
    || { cat "$LOG" >&2; die "export failed"; }
mv "$TMP_POT" "$I18N/sales_attribution.pot"
say "merging into $I18N/zh_CN.po"
"$PY" "$ROOT/tools/i18n_merge.py" "$I18N/sales_attribution.pot" "$I18N/zh_CN.po" --lang zh_CN
