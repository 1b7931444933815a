"""Values of careless clients turned into a clear ``ValidationError``.

XML-RPC clients, imports and scripts pass whatever they have: ``"abc"`` for a number of
units, ``2.5`` units, ``"vip"`` for a selection. Odoo 11 would answer with a bare
``ValueError`` (``invalid literal for int()``) or silently truncate ``2.5`` to ``2``.
The models of the addon call :func:`check_vals` at the top of ``create``/``write`` so
the user reads which field refused which value, in their language, and nothing is
saved. Not a model: a helper the models share.
"""
from odoo import _, fields
from odoo.exceptions import ValidationError


def _label(model, name):
    field = model._fields[name]
    return field._description_string(model.env) if hasattr(
        field, "_description_string") else (field.string or name)


def _refuse(model, name, value, expected):
    return ValidationError(_("%s: %r is not a valid value (expected %s).") % (
        _label(model, name), value, expected))


def check_vals(model, vals, names=None):
    """Refuse values of ``vals`` that the fields of ``model`` cannot take as they are.

    Checks integer, float and monetary, selection, date, datetime and many2one
    fields (all of them, or only ``names``); returns ``vals`` unchanged. Strings
    holding numbers ("3") are accepted, as Odoo converts them; fractions for
    integers are refused.
    """
    for name, value in vals.items():
        if names is not None and name not in names:
            continue
        field = model._fields.get(name)
        if field is None or value is None or value is False:
            continue
        ftype = field.type
        if ftype == "integer":
            if isinstance(value, bool):
                raise _refuse(model, name, value, _("a whole number"))
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise _refuse(model, name, value, _("a whole number"))
            if number != number or number != int(number):  # NaN or a fraction
                raise _refuse(model, name, value, _("a whole number"))
        elif ftype in ("float", "monetary"):
            if isinstance(value, bool):
                raise _refuse(model, name, value, _("a number"))
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise _refuse(model, name, value, _("a number"))
            if number != number or number in (float("inf"), float("-inf")):
                raise _refuse(model, name, value, _("a number"))
        elif ftype == "selection" and not callable(field.selection) and isinstance(
                field.selection, (list, tuple)):
            allowed = [key for key, _lab in field.selection]
            if value not in allowed:
                raise _refuse(model, name, value, " / ".join(str(k) for k in allowed))
        elif ftype in ("date", "datetime"):
            parse = fields.Date.from_string if ftype == "date" else \
                fields.Datetime.from_string
            try:
                parse(value)
            except (TypeError, ValueError):
                raise _refuse(model, name, value, _("a date") if ftype == "date"
                              else _("a date and time (YYYY-MM-DD HH:MM:SS, UTC)"))
        elif ftype == "many2one":
            # ids (int), records and the (id, name) pairs of read() are fine
            if isinstance(value, (bool, str, float, bytes)):
                raise _refuse(model, name, value, _("a record id"))
    return vals
