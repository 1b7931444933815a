"""Mail of a whole batch of records at once, written as Odoo's mail stack writes it.

The addon's one bulk shortcut into the mail tables, used by the E1-E5 sends
(``attribution.message.log._send_batch``), which queue thousands of mails, SMS notes
and chatter entries at a time. Two entry points, each the twin of one Odoo call and
each falling back to that call where it cannot promise the same rows:

- :func:`send_mail` ``(template, records) -> {record id: mail.mail id}`` does what
  ``template.send_mail(record.id)`` does for each record: one ``mail.mail`` (outgoing,
  sent later by ``mail.mail.process_email_queue``) and its ``mail.message`` with the
  values of ``generate_email`` (the whole batch rendered at once, each field
  compiled once), the default sender, ``Message-Id``, reply-to and record name that
  ``mail.message.create`` adds, the recipients (``recipient_ids`` and
  ``partner_ids``). Like ``send_mail``: no notification, no follower, no
  ``needaction``. Falls back to ``send_mail`` record by record for a template with a
  report or attachments, a body with inline images (``mail.message.create`` turns
  them into attachments) and a mail without sender when the user has no e-mail
  (``send_mail`` then raises its own ``UserError``).
- :func:`post_notes` ``(records, bodies) -> {record id: mail.message id}`` does what
  ``record.message_post(body=body, subtype="mail.mt_note")`` does: a note of the
  current user's partner in the record's chatter (sender, reply-to, record name, the
  thread's first message as parent). Falls back to ``message_post`` for the records
  that have a follower subscribed to notes: there ``message_post`` notifies, and the
  notification is Odoo's to write.

Both are checked against the Odoo call, field by field, in
``tests/test_event_sends_bulk.py``. What is written: one ``INSERT`` per table and
batch, every row with what ``create`` stores (the values, converted by their field:
Html sanitised, Char cut to size; the defaults of the other stored columns, one
``default_get`` a batch; the log columns). The callers' caches of the records are
invalidated here; the new rows are in no cache. No commit. Why not ``create``: it
costs 2-20 ms a row on ``mail.message`` (bench/README.md, "Confirmation sends").
:func:`insert_rows` is that writer for a plain table of the addon (the SMS outbox).
"""
from email.utils import formataddr

from odoo import fields, tools

#: columns the ORM fills itself
_LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")
#: the ORM's create and write date: the transaction's time in UTC
_UTC_NOW = "(now() at time zone 'UTC')"


# ------------------------------------------------------------------ entry points

def send_mail(template, records):
    """Queue ``template``'s mail to every record of ``records`` (of the template's
    model) as ``template.send_mail(record.id)`` would; returns ``{record id:
    mail.mail id}``. See the module docstring for what is written and when it falls
    back to ``send_mail``."""
    template.ensure_one()
    if not records:
        return {}
    if template.report_template or template.attachment_ids:
        return {res_id: template.send_mail(res_id) for res_id in records.ids}
    env = records.env
    values = template.generate_email(records.ids)
    user = env.user
    default_from = formataddr((user.name, user.email)) if user.email else None
    slow = [res_id for res_id in records.ids
            if "data:image/" in (values[res_id].get("body") or "")
            or not (values[res_id].get("email_from") or default_from)]
    result = {res_id: template.send_mail(res_id) for res_id in slow}
    fast = [res_id for res_id in records.ids if res_id not in result]
    if fast:
        result.update(_insert_mails(records.browse(fast), values, default_from))
    return result


def post_notes(records, bodies):
    """Post ``bodies[record id]`` (HTML) as a note in the chatter of each record of
    ``records`` as ``record.message_post(body=..., subtype="mail.mt_note")`` would;
    returns ``{record id: mail.message id}``. See the module docstring."""
    if not records:
        return {}
    env = records.env
    subtype_id = env["ir.model.data"].xmlid_to_res_id("mail.mt_note")
    # sudo: which followers a post would notify, whatever the user may read
    noisy = set(env["mail.followers"].sudo().search([
        ("res_model", "=", records._name), ("res_id", "in", records.ids),
        ("subtype_ids", "in", subtype_id)]).mapped("res_id"))
    result = {record.id: record.message_post(body=bodies[record.id],
                                             subtype="mail.mt_note").id
              for record in records if record.id in noisy}
    quiet = records.filtered(lambda record: record.id not in noisy)
    if quiet:
        result.update(_insert_notes(quiet, bodies, subtype_id))
    return result


# ------------------------------------------------------------------ the rows

def _record_names(records):
    # sudo: the name mail.message.create stores, whoever posts
    return dict(records.sudo().name_get())


def _reply_to(records, email_froms):
    """``{record id: reply-to}`` as ``mail.message.create`` computes it: the
    document's alias, else its sender (``message_get_reply_to``)."""
    result = {}
    by_sender = {}
    for res_id, email_from in email_froms.items():
        by_sender.setdefault(email_from, []).append(res_id)
    for email_from, res_ids in by_sender.items():
        result.update(records.message_get_reply_to(res_ids, default=email_from))
    return result


def _insert_mails(records, values, default_from):
    env = records.env
    model = records._name
    names = _record_names(records)
    author_id = env.user.partner_id.id
    now = fields.Datetime.now()
    # send_mail drops an empty sender; mail.message.create then takes the user's
    senders = {res_id: values[res_id].get("email_from") or default_from
               for res_id in records.ids}
    reply_to = _reply_to(records, {
        res_id: senders[res_id] for res_id in records.ids
        if "reply_to" not in values[res_id]})
    messages = []
    for res_id in records.ids:
        vals = values[res_id]
        messages.append({
            "subject": vals.get("subject", False),
            "date": now,
            "body": vals.get("body", ""),
            "model": model, "res_id": res_id,
            "record_name": names.get(res_id, False),
            "message_type": "email",
            "email_from": senders[res_id], "author_id": author_id,
            "message_id": tools.generate_tracking_message_id(
                "%s-%s" % (res_id, model)),
            "reply_to": vals["reply_to"] if "reply_to" in vals else reply_to[res_id],
            "mail_server_id": vals.get("mail_server_id", False),
        })
    message_ids = insert_rows(env, "mail.message", messages, "message_id")
    mails = [{
        "mail_message_id": message_ids[msg["message_id"]],
        "body_html": values[msg["res_id"]].get("body_html", False),
        "email_to": values[msg["res_id"]].get("email_to", False),
        "email_cc": values[msg["res_id"]].get("email_cc", False),
        "scheduled_date": values[msg["res_id"]].get("scheduled_date", False),
        "auto_delete": values[msg["res_id"]].get("auto_delete", False),
        # what mail.mail.create sets for a mail of its own message
        "notification": False,
    } for msg in messages]
    mail_ids = insert_rows(env, "mail.mail", mails, "mail_message_id")
    recipients = [(mail["mail_message_id"], partner_id)
                  for msg, mail in zip(messages, mails)
                  for partner_id in values[msg["res_id"]].get("partner_ids") or ()]
    _insert_relation(env, "mail.mail", "recipient_ids", [
        (mail_ids[message_id], partner_id) for message_id, partner_id in recipients])
    _insert_relation(env, "mail.message", "partner_ids", recipients)
    records.invalidate_cache(ids=records.ids)
    return {msg["res_id"]: mail_ids[mail["mail_message_id"]]
            for msg, mail in zip(messages, mails)}


def _insert_notes(records, bodies, subtype_id):
    env = records.env
    model = records._name
    user = env.user
    if not user.email:
        # no address to post from: message_post says so (UserError, translated)
        return {record.id: record.message_post(body=bodies[record.id],
                                               subtype="mail.mt_note").id
                for record in records}
    # what mail.message.create takes when no sender is given
    email_from = formataddr((user.name, user.email))
    reply_to = records.message_get_reply_to(records.ids, default=email_from)
    names = _record_names(records)
    # _mail_flat_thread: message_post hangs a note under the first e-mail of the
    # thread, else under its first message
    env.cr.execute(
        "SELECT DISTINCT ON (res_id) res_id, id FROM mail_message "
        "WHERE model = %s AND res_id IN %s "
        "ORDER BY res_id, message_type = 'email' DESC, id",
        (model, tuple(records.ids)))
    parents = dict(env.cr.fetchall())
    now = fields.Datetime.now()
    notes = [{
        "subject": False, "date": now, "body": bodies[res_id],
        "model": model, "res_id": res_id,
        "record_name": names.get(res_id) or False,
        "message_type": "notification", "subtype_id": subtype_id,
        "parent_id": parents.get(res_id) or False,
        "email_from": email_from, "author_id": user.partner_id.id,
        "message_id": tools.generate_tracking_message_id("%s-%s" % (res_id, model)),
        "reply_to": reply_to.get(res_id) or False,
    } for res_id in records.ids]
    message_ids = insert_rows(env, "mail.message", notes, "message_id")
    env["mail.message"].invalidate_cache(["child_ids"], list(set(parents.values())))
    records.invalidate_cache(ids=records.ids)
    return {note["res_id"]: message_ids[note["message_id"]] for note in notes}


# ------------------------------------------------------------------ SQL

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
              and name != "id" and name not in _LOG_COLUMNS}
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
        ", ".join(["%s"] * len(columns)), _UTC_NOW, _UTC_NOW)
    # table and column names come from the model's fields, never from input
    env.cr.execute(
        'INSERT INTO "%s" (%s) VALUES %s RETURNING id, "%s"' % (
            model._table, ", ".join('"%s"' % c for c in columns + list(_LOG_COLUMNS)),
            values_sql(env.cr, template, values), key))
    return {row_key: row_id for row_id, row_key in env.cr.fetchall()}


def _insert_relation(env, model_name, field_name, pairs):
    """Insert the many2many links ``pairs`` [(record id, other id)] of the field."""
    if not pairs:
        return
    field = env[model_name]._fields[field_name]
    # table and column names come from the field, never from input
    env.cr.execute(
        'INSERT INTO "%s" ("%s", "%s") VALUES %s ON CONFLICT DO NOTHING' % (
            field.relation, field.column1, field.column2,
            values_sql(env.cr, "(%s, %s)", pairs)))
