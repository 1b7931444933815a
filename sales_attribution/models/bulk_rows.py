"""Rows written in bulk the way ``Model.create`` would write them, for the E1-E5 cron
(``event.registration._cron_attribution_messages``) that queues thousands of mails, SMS
and chatter notes at a time.

Not a model. The ORM's create costs 2-20 ms a row on ``mail.message`` (name_get,
reply-to, notification of the followers, bus), far too much for 10 000 guests; here a
batch is one INSERT per table. Every row gets what create() would store: the values
given, converted by the field (``convert_to_column``: an Html field is sanitised, a
Char cut to its size), the defaults of the stored fields no row gives (one
``default_get`` per batch) and the log columns. The caller then invalidates the caches
it made stale (``invalidate_cache``), as the ORM does after a write.
"""
#: columns the ORM fills itself
LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")
#: the ORM's create and write date: the transaction's time in UTC
UTC_NOW = "(now() at time zone 'UTC')"


def values_sql(cr, template, rows):
    """``VALUES`` list of ``rows`` (tuples) through ``template`` ("(%s, %s)"), each
    value quoted by psycopg2 (``mogrify``): for statements too long for one
    placeholder per value."""
    return ",".join(cr.mogrify(template, tuple(row)).decode() for row in rows)


def insert_rows(env, model_name, rows, key):
    """Insert ``rows`` (dicts of create() values, the same keys in each: plain fields
    and many2one ids, no x2many commands) into the table of ``model_name``; returns
    ``{row[key]: new id}``. ``key`` must tell the rows apart (a unique column)."""
    if not rows:
        return {}
    model = env[model_name]
    given = list(rows[0])
    stored = {name: field for name, field in model._fields.items()
              if field.store and field.column_type and not field.inherited
              and name != "id" and name not in LOG_COLUMNS}
    unknown = [name for name in given if name not in stored]
    if unknown:
        raise ValueError("%s: not stored columns: %s" % (model_name, unknown))
    missing = [name for name in stored if name not in given]
    defaults = {name: value
                for name, value in model.default_get(missing).items()
                if name in stored} if missing else {}
    columns = given + list(defaults)
    values = []
    for row in rows:
        values.append(tuple(
            [stored[name].convert_to_column(row[name], model) for name in given]
            + [stored[name].convert_to_column(defaults[name], model)
               for name in defaults]
            + [env.uid, env.uid]))
    # the log dates as the ORM writes them: the transaction's time
    template = "(%s, %%s, %s, %%s, %s)" % (
        ", ".join(["%s"] * len(columns)), UTC_NOW, UTC_NOW)
    # table and column names come from the model's fields, never from input
    env.cr.execute(
        'INSERT INTO "%s" (%s) VALUES %s RETURNING id, "%s"' % (
            model._table, ", ".join('"%s"' % c for c in columns + list(LOG_COLUMNS)),
            values_sql(env.cr, template, values), key))
    return {row_key: row_id for row_id, row_key in env.cr.fetchall()}


def insert_relation(env, model_name, field_name, pairs):
    """Insert the many2many links ``pairs`` [(record id, other id)] of the field."""
    if not pairs:
        return
    field = env[model_name]._fields[field_name]
    env.cr.execute(
        'INSERT INTO "%s" ("%s", "%s") VALUES %s ON CONFLICT DO NOTHING' % (
            field.relation, field.column1, field.column2,
            values_sql(env.cr, "(%s, %s)", pairs)))
