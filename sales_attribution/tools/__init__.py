"""Helpers of the addon that are not models: ``bulk_mail``, ``deal_facts`` and
``visit_facts`` (see their docstrings)."""
