"""Salutations (称呼): how a message greets a customer.

Chinese usage is surname + title: 王总 for a business contact, 李女士 / 王先生 where the
contact's title says so, 欧阳总 for a compound surname. A full name + 总 ("张伟总") and a
company name + 总 ("某某有限公司总") are wrong; a company is greeted by its name.
Latin-script names follow English usage: "Mr Lee" with a title, else the full name.

:func:`default_salutation` is the default of ``res.partner.attribution_salutation``;
the office may type any other salutation, which then sticks. Inputs are raw facts (the
partner's name, the name or shortcut of its Odoo title, ``is_company``); the output is
a string, ``""`` when there is no name to greet.

>>> default_salutation("张伟")
'张总'
>>> default_salutation("欧阳娜娜", title="Madam")
'欧阳女士'
>>> default_salutation("王德明", title="Mister", business=False)
'王先生'
>>> default_salutation("John Lee", title="Mr.")
'Mr Lee'
>>> default_salutation("John Lee")
'John Lee'
>>> default_salutation("深圳市阳光置业有限公司")
'深圳市阳光置业有限公司'
>>> default_salutation("阳光置业", is_company=True)
'阳光置业'
>>> default_salutation("  ")
''
"""
import re

#: common compound (two-character) surnames, checked before the first character
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "夏侯", "令狐", "钟离", "端木", "澹台", "公冶", "濮阳", "太史", "申屠", "万俟",
    "闻人", "呼延", "南宫", "独孤", "轩辕", "单于", "拓跋", "司空", "百里", "东郭", "西门",
    "第五", "公羊", "赫连", "淳于", "仲孙", "羊舌", "微生", "梁丘", "左丘", "东门", "鲜于",
    "段干", "巫马", "子车", "乐正", "壤驷", "漆雕", "宰父", "谷梁", "夹谷", "亓官", "司寇",
    "颛孙", "公西", "公良", "南门", "呼衍", "归海", "东里", "况后", "有琴", "梁丘",
))

#: title kinds -> (Chinese suffix, English prefix)
TITLE_WORDS = {
    "mister": ("先生", "Mr"),
    "madam": ("女士", "Ms"),
    "doctor": ("博士", "Dr"),
    "professor": ("教授", "Prof"),
}
#: what a title's name or shortcut may say (Odoo 11's base titles Mister, Madam, Miss,
#: Doctor, Professor and their shortcuts, English and Chinese), lower case, no dot
_TITLE_KINDS = {
    "mister": "mister", "mr": "mister", "sir": "mister", "先生": "mister",
    "madam": "madam", "mrs": "madam", "ms": "madam", "miss": "madam", "女士": "madam",
    "小姐": "madam", "夫人": "madam", "太太": "madam",
    "doctor": "doctor", "dr": "doctor", "博士": "doctor", "医生": "doctor",
    "professor": "professor", "prof": "professor", "教授": "professor",
}
#: business events greet a contact without a title as 总 (manager, boss)
BUSINESS_SUFFIX = "总"
#: honorifics an office may have typed into the name itself ("王总", "李女士")
HONORIFICS = ("总", "先生", "女士", "小姐", "夫人", "太太", "老师", "博士", "教授",
              "经理", "董", "老板")

#: name endings that mark an organisation (compared without spaces, case-insensitive)
COMPANY_ENDINGS = (
    "公司", "集团", "事务所", "工作室", "商行", "合作社",
    "co.,ltd.", "co.,ltd", "co.ltd", "ltd.", "ltd", "limited", "inc.", "inc", "llc",
    "corp.", "corp", "corporation", "group", "gmbh", "plc",
)

#: the most common single-character surnames (about nine in ten people in China):
#: a name of several Han words whose first word starts with none of them (nor with
#: a compound surname) is taken for a transliteration written with spaces
#: ("约翰 史密斯"), whose last word is the family name
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史"
    "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟"
    "殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游"
    "辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫"
    "费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明"
    "佘池查麻苑迟邝洪")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: separators of transliterated names ("约翰·李"): middle dots of several code points
_DOTS = re.compile(r"[\u00b7\u2022\u2027\u30fb\uff0e\u318d]")
_SPACES = re.compile(r"\s+")  # str.split / re \s cover U+3000, the full-width space
#: lower-case particles that belong to a Latin family name ("van Beethoven")
_PARTICLES = frozenset(("van", "von", "de", "da", "di", "du", "del", "della", "der",
                        "den", "le", "la", "ter", "ten", "bin", "al", "dos", "das"))


def clean_name(name):
    """``name`` with surrounding and repeated white space (full-width too) removed.

    >>> clean_name("\\u3000张\\u3000伟 ")
    '张 伟'
    """
    return _SPACES.sub(" ", name or "").strip()


def title_kind(*texts):
    """The kind of a contact's title (``'mister'``, ``'madam'``, ``'doctor'``,
    ``'professor'``) from its name or shortcut in English or Chinese (any case, dots
    ignored); ``None`` when none is recognised.

    >>> title_kind("Miss")
    'madam'
    >>> title_kind(None, "Mr.")
    'mister'
    >>> title_kind("VIP") is None
    True
    """
    for text in texts:
        key = clean_name(text).lower().rstrip(".")
        if key in _TITLE_KINDS:
            return _TITLE_KINDS[key]
    return None


def is_company_name(name):
    """True when ``name`` ends like an organisation's (公司, 集团, Co., Ltd., Inc, ...).

    >>> is_company_name("阳光置业集团")
    True
    >>> is_company_name("Sunshine Realty Co., Ltd.")
    True
    >>> is_company_name("王公")
    False
    """
    key = _SPACES.sub("", name or "").lower()
    return bool(key) and key.endswith(COMPANY_ENDINGS)


def surname(chinese_name):
    """The surname of a Chinese name (Han characters, white space ignored): a compound
    surname of :data:`COMPOUND_SURNAMES` when the name starts with one, else the first
    character; ``""`` for an empty name.

    >>> surname("司马相如"), surname("张伟"), surname("东方")
    ('司马', '张', '东方')
    """
    name = _SPACES.sub("", chinese_name or "")
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def _latin_family_name(name):
    """Family name of a Latin-script name: before a comma ("Lee, John"), else the last
    word with the lower-case particles before it ("Ludwig van Beethoven")."""
    if "," in name:
        return clean_name(name.split(",", 1)[0])
    words = name.split(" ")
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(words[start:])


def _family_salutation(family, kind, business, full):
    """``family`` + the title's word, else + 总 (``business``), else ``full``."""
    if kind:
        return family + TITLE_WORDS[kind][0]
    return family + BUSINESS_SUFFIX if business else full


def _chinese_salutation(name, kind, business):
    """``name`` holds Han characters (spaces removed)."""
    for honorific in HONORIFICS:
        rest = name[:-len(honorific)]
        if name.endswith(honorific) and rest:
            if surname(rest) == rest:
                return name  # the office typed the salutation as the name: "王总"
            if len(honorific) > 1:  # the full name and a title: "王德明先生"
                return surname(rest) + honorific
    return _family_salutation(surname(name), kind, business, name)


def _transliterated(words):
    """Whether the Han ``words`` of a name (split at white space) are a
    transliteration ("约翰 史密斯"): several words, the first not starting with a
    common or compound surname, the last no honorific."""
    first = words[0]
    return (len(words) > 1 and len(first) > 1 and first[0] not in COMMON_SURNAMES
            and first[:2] not in COMPOUND_SURNAMES and words[-1] not in HONORIFICS)


def default_salutation(name, title=None, is_company=False, business=True):
    """The default salutation of a contact.

    - ``name``: the partner's name (any script, white space of any width);
    - ``title``: the name or shortcut of its ``res.partner.title`` (see
      :func:`title_kind`), or ``None``;
    - ``is_company``: the partner is an organisation;
    - ``business``: greet a Chinese contact without a recognised title as 总 (business
      events); otherwise such a contact is greeted by the full name.

    Rules, in order: an empty name gives ``""``; a company (``is_company`` or
    :func:`is_company_name`) is greeted by its name, never with 总; a name with Han
    characters by surname (:func:`surname`) + 先生/女士/博士/教授 from the title, else +
    总 (``business``), else the full name; a name of the form surname + honorific
    ("王总", "李女士") is kept; in a transliterated name ("约翰·史密斯") the last part
    is the family name (史密斯先生, 史密斯总), also when written with spaces
    ("约翰 史密斯": several Han words, the first not starting with a common
    surname, :data:`COMMON_SURNAMES`); a full name + title ("王德明先生") gives
    surname + that title (王先生); a Latin-script name is greeted by
    Mr/Ms/Dr/Prof + family name when the title is known, else by the full name.
    Never a full name + 总.

    >>> default_salutation("张\\u3000伟", title="女士")
    '张女士'
    >>> default_salutation("约翰·史密斯", title="Mister")
    '史密斯先生'
    >>> default_salutation("Ludwig van Beethoven", title="Mister")
    'Mr van Beethoven'
    """
    name = clean_name(name)
    if not name:
        return ""
    if is_company or is_company_name(name):
        return name
    kind = title_kind(title) if title else None
    parts = [clean_name(p) for p in _DOTS.split(name) if p.strip()]
    if len(parts) > 1:  # transliterated ("约翰·史密斯"): the last part is the family name
        if _HAN.search(parts[-1]):
            family = "".join(_HAN.findall(parts[-1]))
            return _family_salutation(family, kind, business, "·".join(parts))
        name = " ".join(parts)
    han = _HAN.findall(name)
    if han:
        if _transliterated(han):  # "约翰 史密斯": the dot written as a space
            return _family_salutation(han[-1], kind, business, name)
        if len(han) > 1 and han[-1] in HONORIFICS:  # "王德明 先生"
            return _chinese_salutation("".join(han), kind, business)
        return _chinese_salutation(han[0], kind, business)
    if kind:
        return "%s %s" % (TITLE_WORDS[kind][1], _latin_family_name(name))
    return name
