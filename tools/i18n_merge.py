#!/usr/bin/env python3
"""Merge a freshly exported Odoo template into a language file, keeping translations.

    python3 tools/i18n_merge.py sales_attribution/i18n/sales_attribution.pot \
        sales_attribution/i18n/zh_CN.po [--lang zh_CN]

The template (``.pot``) written by ``odoo --i18n-export`` decides which entries exist
and their ``#.``/``#:`` reference comments (Odoo needs those to apply a translation);
the existing ``.po`` gives the ``msgstr`` of every ``msgid`` it already translates.
Entries no longer in the template are dropped; new ones get an empty ``msgstr`` and are
listed on stderr, so the translator knows what to fill in. No third-party package is
needed (Odoo's own format is simple and Babel would rewrite the reference comments).

Rule code labels (``"A3 Rotation: ..."``, the selection values of ``rule_code``) are
filled in from the Chinese titles of ``sales_attribution/attribution/codes.py`` when
the ``.po`` has no translation for them yet, so new codes need no hand translation.

Exit status: 0 when every entry is translated, 1 when some are still empty (the file is
written either way).
"""
# pylint: disable=print-used  # a command-line tool: what it prints is its output
import argparse
import ast
import importlib.util
import os
import re
import sys

CODES_PY = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                        "sales_attribution", "attribution", "codes.py")


def code_labels(lang):
    """English rule code label -> label in ``lang``, from the pure codes module."""
    if not os.path.exists(CODES_PY):
        return {}
    spec = importlib.util.spec_from_file_location("sa_codes", CODES_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {module.label(code, "en_US"): module.label(code, lang)
            for code in module.CODES}


def unquote(line):
    """The string literal of a ``msgid "..."``/``"..."`` line."""
    literal = line[line.index('"'):]
    return ast.literal_eval(literal) if literal else ""


def quote(text):
    """Odoo's quoting (``odoo.tools.translate.quote``), so files diff cleanly."""
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"') \
        .replace("\n", '\\n"\n"')


def parse(path):
    """Return (header lines, [(comment lines, msgid, msgstr)]) of a PO file."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read().lstrip("\ufeff")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    header, entries = [], []
    for block in blocks:
        comments, field, values = [], None, {"msgid": "", "msgstr": ""}
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("#~"):
                field = None
                continue
            if line.startswith("#"):
                comments.append(line)
            elif line.startswith("msgid "):
                field = "msgid"
                values[field] = unquote(line)
            elif line.startswith("msgstr "):
                field = "msgstr"
                values[field] = unquote(line)
            elif line.startswith('"') and field:
                values[field] += unquote(line)
        if values["msgid"] == "" and not entries and not header:
            header = block.splitlines()
            continue
        if values["msgid"]:
            entries.append((comments, values["msgid"], values["msgstr"]))
    return header, entries


def merge(pot_path, po_path, lang):
    header, template = parse(pot_path)
    try:
        _old_header, old = parse(po_path)
    except FileNotFoundError:
        old = []
    known = code_labels(lang)
    known.update({msgid: msgstr for _c, msgid, msgstr in old if msgstr})
    out = []
    for line in header:
        if line.startswith('"Language-Team:') or line.startswith('"Language:'):
            continue
        out.append(line)
        if line.startswith('"Last-Translator:'):
            out.append('"Language-Team: \\n"')
            out.append('"Language: %s\\n"' % lang)
    out.append("")
    missing = []
    for comments, msgid, _empty in template:
        msgstr = known.get(msgid, "")
        if not msgstr:
            missing.append(msgid)
        out.extend(comments)
        out.append("msgid " + quote(msgid))
        out.append("msgstr " + quote(msgstr))
        out.append("")
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(out))
    return template, missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pot")
    parser.add_argument("po")
    parser.add_argument("--lang", default="zh_CN")
    args = parser.parse_args()
    template, missing = merge(args.pot, args.po, args.lang)
    print("%s: %d entries, %d translated, %d to translate" % (
        args.po, len(template), len(template) - len(missing), len(missing)),
        file=sys.stderr)
    for msgid in missing:
        print("  untranslated: %r" % msgid, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
