"""Shared office for the event message tests (E1-E5): a consultant, guests of each
industry, an event on 9-10 May 2036 (office time, Beijing)."""
import datetime

from odoo import fields, tools

from ..attribution import events, terms

#: event: 09:00 local 9 May to 17:00 local 10 May 2036
DATE_BEGIN = datetime.datetime(2036, 5, 9, 1, 0)
DATE_END = datetime.datetime(2036, 5, 10, 9, 0)


def utc(day, hour, minute=0, tz="Asia/Shanghai"):
    """Naive UTC datetime of ``hour`` office time (zone ``tz``) on May ``day`` 2036."""
    return terms.utc_from_office(datetime.datetime(2036, 5, day, hour, minute), tz)


def build_office(env, prefix=""):
    """Create the consultant, guests, event and registrations; returns a dict."""
    consultant = env["res.users"].with_context(no_reset_password=True).create({
        "name": "陈卫", "login": "%sevents_chenwei" % prefix,
        "email": "chenwei@example.invalid", "mobile": "13900000000",
        "groups_id": [(6, 0, [env.ref("sales_attribution.group_consultant").id,
                              env.ref("base.group_user").id])],
    })
    Industry = env["res.partner.industry"]
    industries = {
        "service": Industry.create({"name": "%s服务业" % prefix}),
        "agency": Industry.create({"name": "%s代理业" % prefix}),
        "fmcg": Industry.create({"name": "%s快速消费品" % prefix}),
        "industrial": Industry.create({"name": "%s工业品" % prefix}),
    }
    Partner = env["res.partner"]
    partners = {}
    for key, surname in (("service", "张"), ("agency", "李"), ("fmcg", "王"),
                         ("industrial", "赵")):
        partners[key] = Partner.create({
            "name": surname, "email": "%s@example.invalid" % key,
            "mobile": "+86 138-0019-80%02d" % len(partners),
            "industry_id": industries[key].id})
    partners["generic"] = Partner.create({"name": "孙", "email": "sun@example.invalid"})
    partners["sms_only"] = Partner.create({"name": "周", "mobile": "13700137000"})
    partners["no_contact"] = Partner.create({"name": "吴"})
    partners["cancelled"] = Partner.create(
        {"name": "郑", "email": "zheng@example.invalid"})
    event = env["event.event"].create({
        "name": "薪酬绩效论坛",
        "date_begin": fields.Datetime.to_string(DATE_BEGIN),
        "date_end": fields.Datetime.to_string(DATE_END),
        "date_tz": "Asia/Shanghai",
        "event_mail_ids": [(5, 0, 0)],
        "confirm_days_before": 2,
        "call_hour": 11,
        "venue_directions": "走二环到香格里拉酒店",
        "greeter_note": "酒店门口有穿紫色衣服的工作人员迎接您",
        "signin_location": "1楼",
        "parking_note": "地下室",
    })
    regs = {}
    for key, partner in partners.items():
        Registration = env["event.registration"].with_context(
            registration_force_draft=True)
        reg = Registration.create({
            "event_id": event.id, "partner_id": partner.id, "name": partner.name,
            "email": False, "phone": False,
            "attribution_user_id": consultant.id, "seats_reserved": 2,
        })
        reg.write({"state": "cancel" if key == "cancelled" else "open"})
        regs[key] = reg
    return {"consultant": consultant, "industries": industries, "partners": partners,
            "event": event, "regs": regs}


def expected_text(reg, code, now, version=None):
    """What render_sms says for ``reg`` at ``now``: the tests' oracle for mail and
    SMS bodies."""
    reg = reg.with_context(attribution_now=fields.Datetime.to_string(now))
    return reg.attribution_text(code, version)


def html_lines(text):
    return ["<p>%s</p>" % tools.html_escape(line) for line in text.split("\n")]


__all__ = ["events", "utc", "build_office", "expected_text", "html_lines",
           "DATE_BEGIN", "DATE_END"]
