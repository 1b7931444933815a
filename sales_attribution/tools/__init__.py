"""Helpers of the addon that are not models: ``bulk_mail``, ``deal_facts``,
``visit_facts``, ``import_errors`` (error rows back as .xlsx), ``import_staff`` (the
consultants a sheet may name) and ``sheet_reader``
(rows of an office's .xlsx/.xls/.csv, no Odoo; see their docstrings)."""
