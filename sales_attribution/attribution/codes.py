"""Catalogue of the rule codes of the rule book (SPEC sections 2-5).

Every decision, split line, message and violation cites one of these codes. The titles
are short, for list views and explanations; the rule text itself is quoted from the
seed rule book in ``SEED``.
"""
from collections import OrderedDict

#: code -> (Chinese title, English title)
RULES = OrderedDict([
    ("A1", ("首次接待登记人确认归属", "First registered reception owns the customer")),
    ("A2", ("客户指定顾问不在,他人代接待并告知经理",
            "Named consultant absent: another receives, manager told")),
    ("A3", ("轮接:轮到的顾问不在则失去本轮", "Rotation: an absent member loses the turn")),
    ("A4", ("老客户介绍的客户找原顾问,代接待者不留电话",
            "Introduced customer asks for the original consultant")),
    ("A5", ("无来访记录且客户无印象,归接待顾问", "No record and no recollection: receiver owns")),
    ("A6", ("撞单先协商,无结果由经理裁决", "Collision: negotiate, else the manager rules")),
    ("A7", ("不接受裁决,上报公司,业绩充公", "Ruling refused: escalated, forfeited to company")),
    ("A8", ("蓄意抢单,辞退", "Deliberate poaching: dismissal")),
    ("A9", ("团体大客户多顾问共有;家庭多套算个人", "Group buyer shared; family purchase single")),
    ("A10", ("以客户登记表为准,后接触者转交最早确认者",
             "Registration sheet decides: later contact hands over")),
    ("A11", ("发展商关系客户由负责人平均分配", "Developer-related customers shared out evenly")),
    ("A12", ("不热情、不礼貌、被投诉,累计三次除名", "Impolite or complained about: three strikes")),
    ("A13", ("放下接待中的客户抢机会,A类过失", "Abandoning a customer to poach: class A fault")),
    ("A14", ("追访30天未到访且未提顾问,计为自然客户",
             "Phone-only customer lapses to a natural customer")),
    ("A15", ("个人联系客户的家人朋友成交,业绩归原顾问,奖金各半",
             "Contact's relative closes: performance original, bonus halved")),
    ("B1", ("直系亲属购同一套房,以初次接访为准", "Direct kin buy one unit: first reception")),
    ("B2", ("非直系亲属购两套,业绩各归各", "Non-kin relatives buy two units: separate deals")),
    ("B3a", ("非直系亲属购一套,归买受人的顾问", "Non-kin relatives buy one unit: buyer's consultant")),
    ("B3b", ("预约来访且客户主动找预约人,由预约人接待",
             "Appointment honoured only when the customer asks for them")),
    ("B4", ("老带新:亲自带来或指明,归原顾问", "Referral brought in or named: referrer's consultant")),
    ("B5", ("客户投诉换顾问,奖金20%/80%", "Complaint reassignment: bonus 20/80")),
    ("B6", ("二次来访互不认识,30日内归原顾问", "Unrecognised revisit within 30 days: original")),
    ("B7", ("发展商员工及非销售人员介绍,归当值顾问", "Staff referral: consultant on duty")),
    ("B8", ("两组老客户带新客户,以老客户成交先后为准",
            "Two referrers: the earlier deal's consultant")),
    ("H1", ("离职交接", "Departed consultant's customers handed over")),
    ("E1", ("确认到场短信(分行业)", "Attendance confirmation message by industry")),
    ("E2", ("前一晚行程提示", "Evening-before logistics message")),
    ("E3", ("当天确认电话", "Confirmation phone call on the day")),
    ("E4", ("未到场感谢函与礼品签收", "Thank-you letter and gift for absentees")),
    ("E5", ("未到场感谢函与问卷", "Thank-you letter with survey for absentees")),
])

CODES = tuple(RULES)


def title(code, lang="zh_CN"):
    """Title of ``code`` in Chinese (default) or English (``lang='en_US'``)."""
    zh, en = RULES[code]
    return zh if lang.startswith("zh") else en


def label(code, lang="zh_CN"):
    """``"A3 轮接:..."``: the code followed by its title, for selections and messages."""
    return "%s %s" % (code, title(code, lang))
