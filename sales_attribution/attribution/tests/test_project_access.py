"""A manager's reach over projects and what the desk of one project learns about a
customer of another (issue 14, point 4)."""
import doctest
import unittest

from hypothesis import given, strategies as st

from attribution import project_access
from attribution.project_access import (
    DISCLOSE_ANONYMOUS, DISCLOSE_NAMED, desk_disclosure, foreign, may_manage, reach)

TEAMS = st.sets(st.integers(min_value=1, max_value=20), max_size=6)


class TestReach(unittest.TestCase):

    def test_manager_of_no_project_reaches_the_whole_company(self):
        self.assertIsNone(reach([]))
        self.assertTrue(may_manage(reach([]), [1, 2, 3]))

    def test_manager_of_a_reaches_a_and_records_without_project(self):
        managed = reach([1])
        self.assertTrue(may_manage(managed, [1, None, 0]))

    def test_manager_of_a_does_not_reach_b(self):
        self.assertFalse(may_manage(reach([1]), [2]))
        self.assertEqual(foreign(reach([1]), [2, 1, 2, 3]), [2, 3])

    def test_empty_team_ids_are_not_projects(self):
        self.assertIsNone(reach([0, None]))

    @given(TEAMS, st.lists(st.one_of(st.none(), st.integers(1, 20)), max_size=8))
    def test_may_manage_is_no_foreign_project(self, managed, teams):
        scope = reach(managed)
        outside = foreign(scope, teams)
        self.assertEqual(may_manage(scope, teams), not outside)
        for team in outside:
            self.assertNotIn(team, managed)
        for team in teams:
            if team and managed and team not in managed:
                self.assertIn(team, outside)


class TestDeskDisclosure(unittest.TestCase):

    def test_project_scope_desk_of_another_project_learns_nothing_named(self):
        self.assertEqual(desk_disclosure("project", known_here=False),
                         DISCLOSE_ANONYMOUS)

    def test_project_scope_desk_of_the_same_project_names_the_customer(self):
        self.assertEqual(desk_disclosure("project", known_here=True), DISCLOSE_NAMED)

    def test_company_scope_names_the_customer_everywhere(self):
        self.assertEqual(desk_disclosure("company", known_here=False), DISCLOSE_NAMED)


def test_doctests():
    result = doctest.testmod(project_access)
    assert result.attempted and not result.failed
