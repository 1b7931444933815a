"""Several projects: a project's numbers (empty keeps the company's) and the ownership
row a customer's fields show (the project's, else the latest visited)."""
import datetime as dt
import unittest

from hypothesis import given, strategies as st

from attribution import projects
from attribution.projects import OwnershipRow, Rules, current_row, effective_rules


class TestEffectiveRules(unittest.TestCase):

    def test_project_window_replaces_the_company_window(self):
        rules = effective_rules(Rules(protection_days=30), {"protection_days": 15}, 4)
        self.assertEqual((rules.protection_days, rules.project_id), (15, 4))

    def test_empty_override_keeps_the_company_value(self):
        company = Rules(followup_days=45, complaint_split=30)
        rules = effective_rules(company, {name: None for name in projects.OVERRIDABLE})
        self.assertEqual(rules, company)

    def test_zero_percent_split_is_an_override(self):
        # 0 % to the original consultant is a real choice for a split, not "empty"
        rules = effective_rules(Rules(relative_split=50), {"relative_split": 0}, 1)
        self.assertEqual(rules.relative_split, 0)

    def test_every_overridable_name_is_a_rule(self):
        self.assertEqual(projects.rules_names(), projects.OVERRIDABLE)


rows_strategy = st.lists(
    st.builds(OwnershipRow, row_id=st.integers(1, 10 ** 6),
              team_id=st.one_of(st.none(), st.integers(1, 5)),
              last_visit_date=st.one_of(st.none(), st.dates(
                  dt.date(2025, 1, 1), dt.date(2026, 12, 31)))),
    max_size=6, unique_by=(lambda r: r.row_id, lambda r: r.team_id))


class TestCurrentRow(unittest.TestCase):

    def test_row_of_the_project_wins_over_a_later_visit(self):
        rows = [OwnershipRow(1, 10, dt.date(2026, 1, 1)),
                OwnershipRow(2, 20, dt.date(2026, 9, 1))]
        self.assertEqual(current_row(rows, 10).row_id, 1)

    def test_unknown_project_shows_the_latest_visited(self):
        rows = [OwnershipRow(1, 10, dt.date(2026, 9, 1)),
                OwnershipRow(2, 20, dt.date(2026, 1, 1)), OwnershipRow(3, 30, None)]
        self.assertEqual(current_row(rows, 99).row_id, 1)

    def test_never_visited_rows_go_to_the_newest(self):
        rows = [OwnershipRow(5, 10, None), OwnershipRow(7, 20, None)]
        self.assertEqual(current_row(rows, None).row_id, 7)

    def test_company_wide_row_is_the_row_without_project(self):
        rows = [OwnershipRow(1, None, None), OwnershipRow(2, 20, dt.date(2026, 9, 1))]
        self.assertEqual(current_row(rows, None).row_id, 1)

    @given(rows_strategy, st.one_of(st.none(), st.integers(1, 6)))
    def test_pick_is_a_row_and_the_projects_row_when_known(self, rows, project_id):
        pick = current_row(rows, project_id)
        if not rows:
            self.assertIsNone(pick)
            return
        self.assertIn(pick, rows)
        mine = [r for r in rows if r.team_id == project_id]
        if mine:
            self.assertEqual(pick, mine[0])
        else:
            visited = [r.last_visit_date for r in rows if r.last_visit_date]
            if visited:
                self.assertEqual(pick.last_visit_date, max(visited))
