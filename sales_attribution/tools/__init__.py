"""Helpers of the addon that are not models: ``bulk_mail``, ``import_errors`` (see
their docstrings)."""
