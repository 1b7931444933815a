"""Helpers of the addon that are not models: ``bulk_mail`` (see its docstring)."""
