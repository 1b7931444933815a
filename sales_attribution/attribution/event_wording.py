"""Wording of the event messages E1-E5: the texts a guest receives.

SPEC section 4 and the seed's 第一篇 (confirmation SMS by industry, the evening-before
logistics example, the 11 o'clock call script), 第三篇 (thank-you letter with gift and
签收回执) and 第四篇 (thank-you letter with the 3-question survey). When each is due is
:mod:`.events`; whom it greets is :mod:`.event_contacts`.

Where the wording departs from the seed:

- E1 (:data:`WORDING`): the four industry paragraphs are the seed's, verbatim. The
  seed's sample event (贾长松老师 speaking on 薪酬和绩效 at 9-10号) becomes placeholders:
  ``{speaker}`` (optional, "贾长松老师说:" when given), ``{agenda}`` (optional, default
  "举办{event},诚邀您莅临"), ``{date_range}``, ``{countdown}`` ("距{event}只有{days}天
  时间") and ``{signature}`` (company + consultant, the seed's "长松咨询陈卫"). With the
  seed's own values the rendered text is the seed's text.
- E1R (the re-confirmation of a postponed event) is E1 with "因故改期,新的日期为..."
  before the dates.
- E2 keeps the seed's sentence, built clause by clause from the event's directions,
  greeter note, sign-in location, seats and parking; empty facts drop their clause.
- E3 is the seed's script with "您" for the seed's "你" (第五篇: 坚持使用"您").
- E4 says "活动" where the seed's sample says "晚宴", and fills company, date, venue,
  event and gift; the 签收回执 is :func:`render_receipt`. With ``letter="gift_survey"``
  the E4 letter also carries E5's three questions (one letter, not two).
- E5 keeps the seed's three questions (they match the registration's survey fields)
  and introduces the consultant; the seed's insurance wording "保险的问题" becomes
  "置业方面的问题" and two typos of the sample are smoothed.
- The SMS of a letter is :func:`render_notice`: who writes, for which event, that a
  letter (and a gift) follow; never the letter itself.
- Every greeting is the addressee's salutation (称呼), preceded by the organisation
  the attendee belongs to when there is one ("阳光置业有限公司王总").
"""
from . import salutation
from .event_dates import countdown_days, date_range_text, full_date
from .terms import DEFAULT_TIMEZONE

VERSIONS = ("service", "agency", "fmcg", "industrial", "generic")

#: version -> lower-case substrings of an industry name (Chinese and English), checked
#: in this order so that e.g. "Consumer services" is fmcg and "Wholesale" is agency.
INDUSTRY_KEYWORDS = (
    ("fmcg", ("快速消费品", "快消", "日化", "fmcg", "consumer goods", "consumer product",
              "fast moving", "fast-moving")),
    ("agency", ("代理", "批发", "经销", "分销", "agency", "agent", "wholesale",
                "distribut", "dealer", "trading")),
    ("industrial", ("工业", "制造", "industrial", "industry", "manufactur")),
    ("service", ("服务", "service")),
)

_SEED_INDUSTRY = {
    "service": "服务业是最有希望的行业,也是竞争比较激烈的行业,服务业要做大做强,两个字--"
               "扩张,扩张需要四个条件:统一的产品、制度、干部、文化,",
    "agency": "代理业是所有行业中压力最大的行业,代理商发展须做到四点:客户,客服,概念,信息;"
              "第一您要有大客户管理系统,第二客服,帮助厂家做服务,第三是为客户提供辅加值。",
    "fmcg": "快速消费品是所有行业中竞争最剧烈的,快速消费品行业的关键就是创新,从产品,营销模式"
            "等都要创新,发展的条件:营销,品牌,文化,情感。",
    "industrial": "工业品是人才流失最多的行业,同时也是人才最难培养的一个行业,做大做强必须建立"
                  "标准:研发,行标,团队,KA(重点大客户)。",
}

_E1_TAIL = "{postponed}{date_range}{agenda}!{countdown},请安排好行程!{signature}"

#: E1 confirmation text by industry version (Chinese).
WORDING = {
    version: "{salutation}晚上好!{speaker_said}" + body + _E1_TAIL
    for version, body in _SEED_INDUSTRY.items()
}
WORDING["generic"] = "{salutation}晚上好!" + _E1_TAIL

_SEED_INDUSTRY_EN = {
    "service": "Service businesses are the most promising and also among the most "
               "competitive; to grow big and strong they need one thing, expansion, "
               "and expansion needs four conditions: unified products, systems, "
               "managers and culture. ",
    "agency": "Agency and wholesale is the business under the most pressure; an agent "
              "must master four things: customers, customer service, concepts and "
              "information. First you need a key account system, second service that "
              "helps the manufacturer, third added value for your customers. ",
    "fmcg": "Consumer goods are the most fiercely competitive business and their key "
            "is innovation, in products and in marketing; growth needs marketing, "
            "brand, culture and emotion. ",
    "industrial": "Industrial goods lose the most talent and find it hardest to train; "
                  "to grow big and strong they must set standards: R&D, industry "
                  "standards, the team and key accounts. ",
}
_E1_TAIL_EN = ("{postponed}{date_range}: {agenda}! {countdown}, please plan your trip. "
               "{signature}")

#: E1 confirmation text by industry version (English).
WORDING_EN = {
    version: "Good evening, {salutation}! {speaker_said}" + body + _E1_TAIL_EN
    for version, body in _SEED_INDUSTRY_EN.items()
}
WORDING_EN["generic"] = "Good evening, {salutation}! " + _E1_TAIL_EN

#: The three survey questions of E5:
#: (registration field, zh, en, ((value, zh, en), ...)).
SURVEY_QUESTIONS = (
    ("survey_knows_planning", "您是否对家庭投资理财有足够的了解?",
     "Do you know enough about family investment planning?",
     (("yes", "了解", "yes"), ("no", "不了解", "no"))),
    ("survey_pension_holder", "您的家庭成员目前谁拥有养老规划?",
     "Who in your family has a pension plan?",
     (("husband", "丈夫", "husband"), ("wife", "妻子", "wife"), ("other", "其他", "other"))),
    ("survey_suggestion", "您对我公司的服务是否有更好的建议?",
     "Do you have suggestions for our service?", ()),
)


# --------------------------------------------------------------------------- industry

def industry_version(industry_name):
    """Wording version for an industry name (Chinese or English, any case); unknown or
    empty gives ``'generic'``."""
    text = (industry_name or "").strip().lower()
    if not text:
        return "generic"
    for version, keywords in INDUSTRY_KEYWORDS:
        if any(k in text for k in keywords):
            return version
    return "generic"


# --------------------------------------------------------------------------- wording

def signature(consultant, company="", lang="zh_CN"):
    """The sender: company then consultant as the seed signs ("长松咨询陈卫");
    English "Chen Wei, Changsong Consulting"."""
    consultant = consultant or ""
    company = company or ""
    if lang.startswith("zh"):
        return "%s%s" % (company, consultant)
    return ", ".join(p for p in (consultant, company) if p)


def _need(ctx, code, *keys):
    missing = [k for k in keys if ctx.get(k) in (None, "")]
    if missing:
        raise ValueError("%s needs %s" % (code, ", ".join(missing)))


def _tz(ctx):
    return ctx.get("tz") or DEFAULT_TIMEZONE


def _common(ctx, lang):
    """Placeholders shared by the texts, filled from ``ctx`` with defaults."""
    zh = lang.startswith("zh")
    values = dict(ctx)
    values.setdefault("name", "")
    # the greeting (称呼): the addressee's salutation, else the default of the name
    if not values.get("salutation"):
        values["salutation"] = salutation.default_salutation(
            values["name"], title=ctx.get("title")) or ("贵宾" if zh else "")
    # the attendee's organisation is named, not greeted: "阳光置业有限公司王总"
    organisation = ctx.get("organisation") or ""
    if organisation and organisation != values["salutation"]:
        values["salutation"] = ("%s%s" % (organisation, values["salutation"]) if zh
                                else "%s of %s" % (values["salutation"] or "Guest",
                                                   organisation))
    if not values.get("signature"):
        values["signature"] = signature(ctx.get("consultant"), ctx.get("company"), lang)
    return values, zh


def _render_e1(ctx, lang):
    values, zh = _common(ctx, lang)
    _need(values, "E1", "event")
    version = ctx.get("version") or industry_version(ctx.get("industry"))
    if version not in VERSIONS:
        raise ValueError("unknown wording version: %r" % (version,))
    if not values.get("date_range"):
        _need(values, "E1", "date_begin")
        values["date_range"] = date_range_text(
            ctx["date_begin"], ctx.get("date_end"), _tz(ctx), lang)
    days = ctx.get("days")
    if days is None:
        _need(values, "E1", "date_begin", "now")
        days = countdown_days(ctx["date_begin"], ctx["now"], _tz(ctx))
    event = values["event"]
    speaker = ctx.get("speaker")
    values["postponed"] = ""
    if ctx.get("postponed"):
        _need(values, "E1R", "date_begin")
        new_date = full_date(ctx["date_begin"], _tz(ctx), lang)
        values["postponed"] = ("%s因故改期,新的日期为%s。" % (event, new_date) if zh
                               else "%s has been rescheduled; the new date is %s. "
                               % (event, new_date))
    if zh:
        values["speaker_said"] = "%s说:" % speaker if speaker else ""
        values["agenda"] = ctx.get("agenda") or "举办%s,诚邀您莅临" % event
        values["countdown"] = ("距%s只有%s天时间" % (event, days) if days > 0
                               else "%s就在今天" % event)
        return WORDING[version].format(**values)
    values["speaker_said"] = "%s says: " % speaker if speaker else ""
    values["agenda"] = (ctx.get("agenda")
                        or "we hold %s and look forward to welcoming you" % event)
    plural = "" if days == 1 else "s"
    values["countdown"] = ("Only %s day%s to go until %s" % (days, plural, event)
                           if days > 0 else "%s is today" % event)
    return WORDING_EN[version].format(**values)


def _seats(ctx):
    seats = ctx.get("seats")
    try:
        return int(seats or 0)
    except (TypeError, ValueError):
        return 0


def _render_e2(ctx, lang):
    values, zh = _common(ctx, lang)
    seats = _seats(ctx)
    if zh:
        parts = ["%s,我到网上查了一下" % values["salutation"]]
        if ctx.get("directions"):
            parts.append("从您过来的方向,%s" % ctx["directions"])
        if ctx.get("greeter"):
            parts.append(ctx["greeter"])
        if ctx.get("signin"):
            parts.append("签到在%s" % ctx["signin"])
        parts.append("%s席位我已到客服部给您安排好,直接签到就可以了"
                     % ("%d个" % seats if seats else ""))
        if ctx.get("parking"):
            parts.append("停车位在%s" % ctx["parking"])
        parts.append("早点休息,明天提前安排好工作")
        parts.append(values["signature"])
        return ",".join(parts) + "。"
    parts = ["%s, I looked up your route for you" % (values["salutation"] or "Hello")]
    if ctx.get("directions"):
        parts.append("coming from your direction: %s" % ctx["directions"])
    if ctx.get("greeter"):
        parts.append("greeters: %s" % ctx["greeter"])
    if ctx.get("signin"):
        parts.append("sign-in is at %s" % ctx["signin"])
    parts.append("%s reserved for you with our service desk, just sign in"
                 % ("%d seat%s are" % (seats, "" if seats == 1 else "s")
                    if seats else "your seats are"))
    if ctx.get("parking"):
        parts.append("parking is at %s" % ctx["parking"])
    parts.append("have a good rest and plan tomorrow's work early. %s"
                 % values["signature"])
    return "; ".join(parts) + "."


def _render_e3(ctx, lang):
    values, zh = _common(ctx, lang)
    seats = _seats(ctx)
    if zh:
        parts = ["%s,昨天我给您发的短信看到了吧" % values["salutation"]]
        if ctx.get("signin"):
            parts.append("您过来的时候到%s签到" % ctx["signin"])
        if seats:
            parts.append("给您安排了%d个席位" % seats)
        if ctx.get("parking"):
            parts.append("停车位在%s" % ctx["parking"])
        return ",".join(parts) + "。"
    parts = ["%s, did you see my message from yesterday?"
             % (values["salutation"] or "Hello")]
    if ctx.get("signin"):
        parts.append("When you arrive, please sign in at %s." % ctx["signin"])
    if seats:
        plural = "" if seats == 1 else "s"
        parts.append("%d seat%s are reserved for you." % (seats, plural))
    if ctx.get("parking"):
        parts.append("Parking is at %s." % ctx["parking"])
    return " ".join(parts)


def _event_date(ctx, zh):
    if ctx.get("event_date"):
        return ctx["event_date"]
    if ctx.get("date_begin"):
        return full_date(ctx["date_begin"], _tz(ctx), "zh_CN" if zh else "en_US")
    return ""


def _render_e4(ctx, lang):
    values, zh = _common(ctx, lang)
    _need(values, "E4", "event")
    company = ctx.get("company") or ""
    date = _event_date(ctx, zh)
    venue = ctx.get("venue") or ""
    gift = ctx.get("gift") or ""
    consultant = ctx.get("consultant") or ""
    if zh:
        when = ("于%s" % date if date else "") + ("在%s" % venue if venue else "")
        return (
            "感谢函\n"
            "尊敬的%s:\n"
            "您好!\n"
            "%s%s举行“%s”,活动取得了圆满的成功。参会嘉宾都感到非常满意,由于您因事而未能"
            "莅临现场指导,甚感遗憾,为此,特为您准备了一份精美礼品%s,由我专程送到您的府上,"
            "以感谢您一直以来对我的支持和关心,期盼在今后成长的过程中能得到您的大力支持与指导!\n"
            "%s"
            "敬祝工作顺心,生意兴隆,全家幸福,一生平安!\n"
            "%s 客户经理:%s" % (
                values["salutation"], company, when, values["event"],
                "(%s)" % gift if gift else "", _gift_survey(ctx, zh), company,
                consultant))
    when = (" on %s" % date if date else "") + (" at %s" % venue if venue else "")
    return (
        "Thank-you letter\n"
        "Dear %s,\n"
        "%s held \"%s\"%s and it was a great success. Our guests were very pleased; we "
        "were sorry that you could not join us, so we have prepared a gift for you%s, "
        "which I will bring to your home myself, to thank you for your support and "
        "care. We look forward to your continued support and guidance!\n"
        "%s"
        "Wishing you success in your work and business, and happiness and peace to "
        "your family!\n"
        "%s, account manager: %s" % (
            values["salutation"] or "valued guest", company or "We", values["event"],
            when,
            " (%s)" % gift if gift else "", _gift_survey(ctx, zh), company,
            consultant))


def _survey_lines(zh):
    """The three questions of E5 with their boxes, one line each."""
    q = SURVEY_QUESTIONS
    if zh:
        options = ["、".join("%s□" % o[1] for o in question[3]) for question in q]
        return ["1、%s %s" % (q[0][1], options[0]), "2、%s %s" % (q[1][1], options[1]),
                "3、%s" % q[2][1]]
    options = [", ".join("[ ] %s" % o[2] for o in question[3]) for question in q]
    return ["1. %s %s" % (q[0][2], options[0]), "2. %s %s" % (q[1][2], options[1]),
            "3. %s" % q[2][2]]


def _gift_survey(ctx, zh):
    """The survey part the E4 letter carries when the event sends one letter with
    both (``ctx["letter"] == "gift_survey"``), else ""; ends with a line break."""
    if ctx.get("letter") != "gift_survey":
        return ""
    consultant = ctx.get("consultant") or ""
    phone = ctx.get("consultant_phone") or ""
    if zh:
        head = ("为了今后能为您提供更优质的服务,恳请您就投资理财计划回答以下三个问题,"
                "礼品送达时交给%s即可:" % (consultant or "客户经理"))
        tail = ("同时诚恳地告诉您:%s是我公司优秀的业务代表,以后您和家人及朋友若有任何置业方面"
                "的问题,请随时与他(她)联络%s。"
                % (consultant, "(电话:%s)" % phone if phone else ""))
    else:
        head = ("So that we may serve you better, please answer three questions on "
                "investment planning and hand them to %s with the gift:"
                % (consultant or "your account manager"))
        tail = ("May we also introduce %s, one of our best consultants: whenever you, "
                "your family or friends have any question about buying a home, please "
                "contact them%s."
                % (consultant, " (phone %s)" % phone if phone else ""))
    lines = [head] + _survey_lines(zh)
    if consultant:
        lines.append(tail)
    return "\n".join(lines) + "\n"


def render_receipt(ctx, lang="zh_CN"):
    """The printable gift receipt (签收回执) that goes with the E4 letter."""
    gift = ctx.get("gift") or ""
    name = ctx.get("name") or ""
    consultant = ctx.get("consultant") or ""
    blank = "__________"
    args = (name, ctx.get("event") or "", gift, blank, blank, blank, consultant)
    if lang.startswith("zh"):
        return ("签收回执\n"
                "客户:%s  活动:%s  礼物:%s\n"
                "礼物签收:%s 联系电话:%s 客户经理签名:%s\n"
                "客户经理:%s" % args)
    return ("Gift receipt\n"
            "Customer: %s  Event: %s  Gift: %s\n"
            "Received by: %s Phone: %s Account manager's signature: %s\n"
            "Account manager: %s" % args)


def _render_e5(ctx, lang):
    values, zh = _common(ctx, lang)
    _need(values, "E5", "event", "consultant")
    company = ctx.get("company") or ""
    consultant = ctx["consultant"]
    phone = ctx.get("consultant_phone") or ""
    date = ctx.get("letter_date") or ""
    questions = _survey_lines(zh)
    if zh:
        return (
            "感谢函\n"
            "尊敬的%s:\n"
            "非常遗憾由于您工作的繁忙未能参加我公司举办的%s,但我们还是要感谢您能接受我们的邀请。\n"
            "由于所有到场嘉宾的信赖和支持,我们的%s取得了极大的成功,赢得了众多嘉宾的认同。"
            "为了今后我们还能有机会为您提供优质服务,在此,我们衷心地希望您就投资理财计划谈一下"
            "您个人的见解及建议:\n"
            "%s\n"
            "同时诚恳地告诉您:%s是我公司优秀的业务代表,以后您和家人及朋友若有任何置业方面的问题,"
            "请随时与他(她)联络%s,他(她)必定能为您提供优质的服务。\n"
            "为了感谢社会各界人士对%s的大力支持,我公司以后还会不定期地举办各种形式的客户答谢活动,"
            "以增进彼此的了解。届时,我们诚挚地希望您一定参加,这将是我公司莫大的荣幸!\n"
            "敬祝:合府安康!万事如意!\n"
            "%s\n"
            "%s" % (
                values["salutation"], values["event"],
                values["event"], "\n".join(questions), consultant,
                "(电话:%s)" % phone if phone else "", company or "我公司",
                company, date)).rstrip("\n")
    return (
        "Thank-you letter\n"
        "Dear %s,\n"
        "We are sorry that your busy schedule kept you from %s, and we thank you for "
        "accepting our invitation.\n"
        "Thanks to the trust and support of our guests, %s was a great success. So "
        "that we may serve you well in future, we would value your views on investment "
        "planning:\n"
        "%s\n"
        "May we also introduce %s, one of our best consultants: whenever you, your "
        "family or friends have any question about buying a home, please contact "
        "them%s; they will be glad to help.\n"
        "To thank everyone for supporting %s we will keep holding customer events, and "
        "we sincerely hope you will join us next time.\n"
        "With best wishes for your family's health and happiness,\n"
        "%s\n"
        "%s" % (
            values["salutation"] or "valued guest", values["event"], values["event"],
            "\n".join(questions), consultant,
            " (phone %s)" % phone if phone else "", company or "our company", company,
            date)).rstrip("\n")


def _render_e1r(ctx, lang):
    return _render_e1(dict(ctx, postponed=True), lang)


_RENDERERS = {"E1": _render_e1, "E1R": _render_e1r, "E2": _render_e2, "E3": _render_e3,
              "E4": _render_e4, "E5": _render_e5}

#: the codes whose SMS is a short notice (:func:`render_notice`), not the text
NOTICE_CODES = ("E4", "E5")


def render_notice(code, ctx, lang="zh_CN"):
    """The SMS of a thank-you letter (E4, E5): who writes, for which event, that the
    letter (E4: and a gift) follows; never the letter's text. ``ctx`` as for
    :func:`render_sms` (``event`` required).

    >>> render_notice("E4", dict(name="张伟", event="答谢晚宴", company="阳光售楼处",
    ...                          consultant="陈卫"))
    '张总您好!您未能出席答谢晚宴,感谢函和一份礼品将随后送到您府上,请留意查收。阳光售楼处陈卫'
    >>> render_notice("E5", dict(name="张伟", event="答谢晚宴", consultant="陈卫"))
    '张总您好!您未能出席答谢晚宴,感谢函将随后寄给您,请留意查收。陈卫'
    >>> ctx = dict(name="John Lee", title="Mr", event="the gala", consultant="Chen")
    >>> print(render_notice("E5", ctx, lang="en_US"))
    Dear Mr Lee, sorry to have missed you at the gala: a thank-you letter follows. Chen
    """
    if code not in NOTICE_CODES:
        raise ValueError("no notice for code: %r" % (code,))
    values, zh = _common(ctx, lang)
    _need(values, code, "event")
    gift = code == "E4"
    if zh:
        # the gift is brought to the guest; a survey letter alone goes by e-mail
        # where there is an address, so it is "sent", not "brought to your home"
        return "%s您好!您未能出席%s,%s,请留意查收。%s" % (
            values["salutation"], values["event"],
            "感谢函和一份礼品将随后送到您府上" if gift else "感谢函将随后寄给您",
            values["signature"])
    return ("Dear %s, sorry to have missed you at %s: a thank-you letter%s follows. %s"
            % (values["salutation"] or "guest", values["event"],
               " and a gift" if gift else "", values["signature"]))


def render_sms(code, ctx, lang="zh_CN"):
    """Plain text of message ``code`` (E1-E5, E1R; E3 is the call script) for ``ctx``.

    ``ctx`` keys (missing optional ones drop their clause or take a default):

    - all: ``name`` (addressee), ``organisation`` (named before the greeting),
      ``salutation`` (称呼, the greeting; default
      :func:`attribution.salutation.default_salutation` of ``name`` and ``title``,
      "贵宾" without a name), ``consultant``, ``company`` or
      ``signature``, ``event``, ``tz`` (the office's zone name, default
      Beijing)
    - E1: ``industry`` (name) or ``version``; ``date_range`` or ``date_begin`` (+
      ``date_end``); ``days`` or ``date_begin`` + ``now``; optional ``speaker``,
      ``agenda``
    - E2: ``directions``, ``greeter``, ``signin``, ``seats``, ``parking``
    - E3: ``signin``, ``seats``, ``parking``
    - E1R: as E1, the new ``date_begin`` (the text says 改期 and the new date)
    - E4: ``event_date`` or ``date_begin``, ``venue``, ``gift``; ``letter``
      ("gift_survey": the letter also carries the survey of E5 and the consultant's
      introduction, ``consultant_phone``)
    - E5: ``consultant`` (required), ``consultant_phone``,
      ``letter_date``
    """
    if code not in _RENDERERS:
        raise ValueError("unknown event code: %r" % (code,))
    return _RENDERERS[code](ctx, lang)
