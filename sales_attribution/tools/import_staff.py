"""The consultants an office's sheets may name for one project (issue 16).

A register or deal ledger row names its consultant (接待顾问, 指定顾问, 成交顾问) by
name or login. :func:`project_staff` gives the users a row of the project may name:
its rotation's members, its members (``crm.team.member_ids``) and its leader, and the
users who already own a customer's ownership row of the project or received or own a
visit registered in it, archived users included: a year of history names
consultants who have left since (``active`` False), and their rows are the
office's history. A user of another project only, or a name matching nobody, is not
among them (a row error, never a new user).
"""


def project_staff(env, team):
    """``res.users`` (sudo, ``active_test`` off) a row of ``team`` (``crm.team``)
    may name, archived ones included (module docstring). Four queries."""
    # sudo: the manager matches names of users they may not read (another
    # company's, archived); only ids, names and logins come out of it
    Users = env["res.users"].sudo().with_context(active_test=False)
    if not team:
        return Users
    team = team.sudo()  # the project's leader, whatever the user may read of it
    ids = set(team.user_id.ids)
    cr = env.cr
    cr.execute("""
        SELECT m.user_id FROM attribution_rotation_member m
          JOIN attribution_rotation r ON r.id = m.rotation_id
         WHERE r.team_id = %s""", (team.id,))
    ids.update(row[0] for row in cr.fetchall())
    cr.execute("SELECT id FROM res_users WHERE sale_team_id = %s", (team.id,))
    ids.update(row[0] for row in cr.fetchall())
    cr.execute("""
        SELECT owner_id FROM attribution_ownership
         WHERE team_id = %s AND owner_id IS NOT NULL
        UNION
        SELECT receiver_id FROM attribution_visit
         WHERE team_id = %s AND receiver_id IS NOT NULL
        UNION
        SELECT owner_id FROM attribution_visit
         WHERE team_id = %s AND owner_id IS NOT NULL""", (team.id,) * 3)
    ids.update(row[0] for row in cr.fetchall())
    ids.discard(None)
    return Users.browse(sorted(ids))


#: the tables of what a batch row may point at (``attribution_import_batch_row.res_id``)
_BATCH_ROW_TABLES = ("attribution_visit", "crm_lead")


def batch_owner_counts(cr, batch_id, table):
    """``{owner user id: customers}`` of the ``ok`` rows of the import batch
    ``batch_id``: the owners, in each row's project (or company-wide), of the
    customers of the records the rows made, ``table`` one of ``attribution_visit``
    (visits) or ``crm_lead`` (won deals). One query."""
    if table not in _BATCH_ROW_TABLES:
        raise ValueError("not a table of import batch rows: %r" % (table,))
    # the table name from the constant tuple above, values as parameters
    cr.execute("""
        SELECT o.owner_id, count(DISTINCT o.partner_id)
          FROM attribution_import_batch_row r
          JOIN {table} x ON x.id = r.res_id
          JOIN attribution_ownership o ON o.partner_id = x.partner_id
               AND (o.team_id = x.team_id OR o.team_id IS NULL)
         WHERE r.batch_id = %s AND r.state = 'ok' AND o.owner_id IS NOT NULL
         GROUP BY o.owner_id""".format(table=table), (batch_id,))
    return dict(cr.fetchall())
