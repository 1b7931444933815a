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

The HTML of a batch goes through Odoo's own steps (``render_post_process``,
``html_sanitize``, the ``Html`` field's conversion) once per *skeleton*
(:class:`HtmlSkeletons`): the guests' texts between the tags are replaced by tokens,
the steps run on that, and each guest's texts are put back in the result. Only texts
that none of the steps can change or react to are replaced (:func:`inert`); any other
text stays in the skeleton, and HTML the tokens cannot describe safely goes through
the steps as it is.
"""
import re
from email.utils import formataddr

from odoo import fields, tools

#: columns the ORM fills itself
_LOG_COLUMNS = ("create_uid", "create_date", "write_uid", "write_date")
#: the ORM's create and write date: the transaction's time in UTC
_UTC_NOW = "(now() at time zone 'UTC')"


#: what ``mail.template.generate_email`` renders by default
_TEMPLATE_FIELDS = ("subject", "body_html", "email_from", "email_to", "partner_to",
                    "email_cc", "reply_to", "scheduled_date")
#: a tag, from ``<`` to the next ``>``
_TAG = re.compile(r"(<[^>]*>)")
#: what the steps look at in a text (entities, quotes, Odoo's ``%24`` and mako
#: ``<%`` replacements, ``>`` quotes): a text holding one keeps its place in the
#: skeleton. A ``--`` signature is only one at the start of a line: no inert text
#: starts (or ends) with a dash, and none holds a line break.
_LIVE = re.compile(r"[&<>\"'%]")
#: the tokens of a skeleton: letters and digits only, inert themselves
_TOKEN = re.compile(r"ZqX(\d+)XqZ")


# ------------------------------------------------------------------ skeletons

def inert(text):
    """Whether ``text`` (between two tags of rendered HTML, entities as written)
    passes unchanged through lxml's parser and serialiser, Odoo's sanitizer (quote
    and signature detection included) and link rewriting, and changes no decision
    of theirs: printable (no line break, control or private character), no blank or
    dash at either end, none of the characters of :data:`_LIVE`.

    >>> inert("张总您好!"), inert("两个字--扩张"), inert("O'Brien"), inert(" x")
    (True, True, False, False)
    >>> inert("-- "), inert("a\\nb"), inert("1 < 2")
    (False, False, False)
    """
    return bool(text) and text.isprintable() and text.strip(" -") == text \
        and not _LIVE.search(text) and not _TOKEN.search(text)


class HtmlSkeletons(object):
    """``steps(html) -> tuple of str`` (Odoo's steps of the HTML of a mail) run once
    per skeleton of the HTML given to :meth:`run`; results by skeleton are kept
    for the life of the object (one batch)."""

    def __init__(self, steps):
        self.steps = steps
        self.done = {}

    def run(self, html):
        """``steps(html)``: through the skeleton of ``html`` when it has one (the
        inert texts tokenised), else directly. Falls back for HTML with ``%``
        (Odoo's replacements of ``%24``... could join a text to its neighbour),
        comments, CDATA, processing instructions, ``<script>``/``<style>`` (raw
        text the sanitizer reads) and tags whose quotes do not pair (a ``>``
        inside an attribute)."""
        skeleton, texts = self.skeleton(html)
        if skeleton is None:
            return self.steps(html)
        if skeleton not in self.done:
            self.done[skeleton] = self.steps(skeleton)

        def put_back(match):
            return texts[int(match.group(1))]

        return tuple(_TOKEN.sub(put_back, out) if isinstance(out, str) else out
                     for out in self.done[skeleton])

    @staticmethod
    def skeleton(html):
        """``(skeleton, texts)``: ``html`` with its inert texts replaced by tokens,
        and those texts by token number; ``(None, None)`` when it has no safe
        skeleton (see :meth:`run`)."""
        if not html or "%" in html or _TOKEN.search(html):
            return None, None
        lowered = html.lower()
        if "<!" in html or "<?" in html or "<script" in lowered \
                or "<style" in lowered:
            return None, None
        parts = _TAG.split(html)
        texts = []
        for i, part in enumerate(parts):
            if i % 2:  # a tag
                if "<" in part[1:] or part.count('"') % 2 or part.count("'") % 2:
                    return None, None
            elif inert(part):
                parts[i] = "ZqX%dXqZ" % len(texts)
                texts.append(part)
        return "".join(parts), texts


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
    values = template.generate_email(
        records.ids, fields=[name for name in _TEMPLATE_FIELDS if name != "body_html"])
    _generate_bodies(template, records.ids, values)
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


# ------------------------------------------------------------------ the bodies

def _mail_steps(template, message_body):
    """The steps of a template's body from its rendering to the rows:
    ``render_post_process`` (``mail.mail.body_html``), ``html_sanitize``
    (``generate_email``'s ``body``) and the ``Html`` field's conversion of
    ``mail.message.body`` (what ``create`` stores)."""
    message = template.env["mail.message"]

    def steps(html):
        post = template.render_post_process(html)
        body = tools.html_sanitize(post) if post else post
        return post, body, message_body.convert_to_column(body, message) \
            if body else body

    return steps


def _generate_bodies(template, res_ids, values):
    """Add ``body_html`` and ``body`` to ``values`` (``{res_id: values}`` of
    ``generate_email`` without ``body_html``) as ``generate_email`` makes them:
    rendered in each record's language, post-processed, the user's signature
    appended when the template asks, sanitized; and ``stored_body``, the
    ``mail.message.body`` that ``create`` would store. Through
    :class:`HtmlSkeletons`: the steps run once per skeleton."""
    env = template.env
    field = env["mail.message"]._fields["body"]
    by_template = {}
    for res_id, lang_template in template.get_email_template(res_ids).items():
        by_template.setdefault(lang_template, []).append(res_id)
    signature = env.user.signature
    for lang_template, ids in by_template.items():
        Template = env["mail.template"]
        if lang_template.lang:
            Template = Template.with_context(lang=lang_template._context.get("lang"))
        Template = Template.with_context(safe=False)
        rendered = Template.render_template(
            lang_template.body_html, lang_template.model, ids)
        steps = _mail_steps(Template, field)
        signed = lang_template.user_signature and signature
        skeletons = HtmlSkeletons(steps)
        for res_id in ids:
            if signed:
                post = Template.render_post_process(rendered[res_id])
                post = tools.append_content_to_html(post, signature, plaintext=False)
                body = tools.html_sanitize(post) if post else post
                stored = field.convert_to_column(body, env["mail.message"]) \
                    if body else body
            else:
                post, body, stored = skeletons.run(rendered[res_id])
            values[res_id]["body_html"] = post
            if post:
                values[res_id]["body"] = body
                values[res_id]["stored_body"] = stored


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
            # converted already (_generate_bodies); "" stays "" when converted
            "body": vals.get("stored_body", ""),
            "model": model, "res_id": res_id,
            "record_name": names.get(res_id, False),
            "message_type": "email",
            "email_from": senders[res_id], "author_id": author_id,
            "message_id": tools.generate_tracking_message_id(
                "%s-%s" % (res_id, model)),
            "reply_to": vals["reply_to"] if "reply_to" in vals else reply_to[res_id],
            "mail_server_id": vals.get("mail_server_id", False),
        })
    message_ids = insert_rows(env, "mail.message", messages, "message_id",
                              converted=("body",))
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
    body_field = env["mail.message"]._fields["body"]
    # what create stores, once per skeleton of the notes
    skeletons = HtmlSkeletons(
        lambda html: (body_field.convert_to_column(html, env["mail.message"]),))
    notes = [{
        "subject": False, "date": now,
        "body": skeletons.run(bodies[res_id])[0],
        "model": model, "res_id": res_id,
        "record_name": names.get(res_id) or False,
        "message_type": "notification", "subtype_id": subtype_id,
        "parent_id": parents.get(res_id) or False,
        "email_from": email_from, "author_id": user.partner_id.id,
        "message_id": tools.generate_tracking_message_id("%s-%s" % (res_id, model)),
        "reply_to": reply_to.get(res_id) or False,
    } for res_id in records.ids]
    message_ids = insert_rows(env, "mail.message", notes, "message_id",
                              converted=("body",))
    env["mail.message"].invalidate_cache(["child_ids"], list(set(parents.values())))
    records.invalidate_cache(ids=records.ids)
    return {note["res_id"]: message_ids[note["message_id"]] for note in notes}


# ------------------------------------------------------------------ SQL

def values_sql(cr, template, rows):
    """``VALUES`` list of ``rows`` (tuples) through ``template`` ("(%s, %s)"), each
    value quoted by psycopg2 (``mogrify``): for statements too long for one
    placeholder per value."""
    return ",".join(cr.mogrify(template, tuple(row)).decode() for row in rows)


def insert_rows(env, model_name, rows, key, converted=()):
    """Insert ``rows`` (dicts of create() values, the same keys in each: plain fields
    and many2one ids, no x2many commands) into the table of ``model_name``; returns
    ``{row[key]: new id}``. ``key`` must tell the rows apart (a unique column). The
    values of the fields named in ``converted`` are column values already (what the
    field's ``convert_to_column`` gives) and are written as they are."""
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
            [row[name] if name in converted
             else stored[name].convert_to_column(row[name], model) for name in given]
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
