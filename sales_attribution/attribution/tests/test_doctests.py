"""The docstrings of the pure package run: each module's doctests pass."""
import doctest
import importlib

import pytest

#: the modules whose docstrings hold examples
MODULES = ["handover", "ownership.facts", "ownership.lapse", "phone", "projects",
           "rotation", "splits", "terms"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module("attribution.%s" % name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, "%s has no doctest any more" % name
    assert result.failed == 0, "%s: %s doctest(s) failed" % (name, result.failed)
