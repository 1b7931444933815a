"""The sales office's rule book as plain Python.

Nothing in this package imports Odoo: facts come in as plain dataclasses, ``now`` is
always a parameter, and every outcome carries the rule code that produced it and an
explanation in Chinese and English. The Odoo models in ``../models`` gather the facts,
call these functions and write the results.

Where each rule lives:

- ``codes.py``      the catalogue of rule codes (A1..A15, B1..B8, E1..E5) with titles
- ``phone.py``      phone numbers from everywhere in one form (matching customers)
- ``register_import.py`` an office's visit register read row by row (headers,
                    validation, row identity, replay order)
- ``merge.py``      ownership of merged customers (different owners: a conflict)
- ``ownership/``    who owns a visiting customer (A1-A15, B1-B8 and their precedence;
                    its ``__init__.py`` says which module holds which codes)
- ``rotation.py``   whose turn it is at the reception desk (A3, B1 make-up, B4, B6, B7)
- ``splits.py``     performance and bonus shares of a won deal, amounts to the cent
- ``conduct.py``    strikes, dismissal proposals, duty attendance (A5, A8, A12, A13)
- ``events.py``     which event message is due when, industry wording (E1-E5)
"""
