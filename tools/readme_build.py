#!/usr/bin/env python3
"""Assemble sales_attribution/README.rst from the readme/ fragments, in the OCA order.

    python3 tools/readme_build.py

Stands in for OCA's oca-gen-addon-readme (not installable here): description,
installation, configuration, usage, known issues / roadmap, credits. Edit the
fragments, then rerun this.
"""
import os

ADDON = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                     "sales_attribution")
SECTIONS = [("INSTALL", "Installation"), ("CONFIGURE", "Configuration"),
            ("USAGE", "Usage"), ("ROADMAP", "Known issues / Roadmap")]
TITLE = "Sales Attribution / 案场判客"


def fragment(name):
    path = os.path.join(ADDON, "readme", name + ".rst")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return handle.read().rstrip()


def build():
    out = ["=" * 40, TITLE, "=" * 40, "",
           ".. !!! Assembled by tools/readme_build.py from the readme/ fragments",
           "   in the OCA order; edit those, not this file.", "",
           "|badge1| |badge2|", "",
           ".. |badge1| image:: https://img.shields.io/badge/maturity-Beta-yellow.png",
           "    :alt: Beta",
           ".. |badge2| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png",
           "    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
           "    :alt: License: LGPL-3", "",
           fragment("DESCRIPTION"), "",
           "**Table of contents**", "", ".. contents::", "   :local:", ""]
    for name, head in SECTIONS:
        text = fragment(name)
        if text:
            out += [head, "=" * len(head), "", text, ""]
    out += ["Credits", "=======", "", "Authors", "~~~~~~~", "",
            "* sales_attribution authors", ""]
    contributors = fragment("CONTRIBUTORS")
    if contributors:
        out += ["Contributors", "~~~~~~~~~~~~", "", contributors, ""]
    with open(os.path.join(ADDON, "README.rst"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(out))


if __name__ == "__main__":
    build()
