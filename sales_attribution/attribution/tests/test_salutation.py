"""Salutations (称呼): the default greeting of a contact, table-driven."""
import doctest

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from attribution import salutation
from attribution.salutation import (COMPOUND_SURNAMES, HONORIFICS, default_salutation,
                                    is_company_name, surname, title_kind)

# (name, title, is_company, business) -> expected salutation
TABLE = [
    # single-character surnames, business events: surname + 总
    ("张伟", None, False, True, "张总"),
    ("王德明", None, False, True, "王总"),
    ("李娜", None, False, True, "李总"),
    ("刘建国", None, False, True, "刘总"),
    ("陈美玲", None, False, True, "陈总"),
    ("王", None, False, True, "王总"),
    ("某", None, False, True, "某总"),
    # the title decides 先生 / 女士 / 博士 / 教授 (Odoo 11's base titles and shortcuts)
    ("陈美玲", "Madam", False, True, "陈女士"),
    ("陈美玲", "Mrs.", False, True, "陈女士"),
    ("李小红", "Miss", False, True, "李女士"),
    ("王德明", "Mister", False, True, "王先生"),
    ("王德明", "Mr.", False, False, "王先生"),
    ("赵磊", "Doctor", False, True, "赵博士"),
    ("孙立", "Professor", False, True, "孙教授"),
    ("周杰", "先生", False, True, "周先生"),
    ("吴静", "女士", False, True, "吴女士"),
    ("郑凯", "VIP", False, True, "郑总"),  # an office's own title: not a gender
    # compound surnames, with one- and two-character given names
    ("欧阳娜娜", None, False, True, "欧阳总"),
    ("欧阳修", "Mister", False, True, "欧阳先生"),
    ("司马相如", None, False, True, "司马总"),
    ("上官婉儿", "Madam", False, True, "上官女士"),
    ("诸葛亮", None, False, True, "诸葛总"),
    ("东方明珠", None, False, True, "东方总"),
    ("皇甫嵩", None, False, True, "皇甫总"),
    ("尉迟恭", "Mister", False, True, "尉迟先生"),
    ("公孙胜", None, False, True, "公孙总"),
    ("慕容复", None, False, True, "慕容总"),
    ("长孙无忌", None, False, True, "长孙总"),
    ("宇文泰", None, False, True, "宇文总"),
    ("司徒雷登", None, False, True, "司徒总"),
    ("夏侯惇", None, False, True, "夏侯总"),
    ("令狐冲", None, False, True, "令狐总"),
    ("钟离春", "Madam", False, True, "钟离女士"),
    ("端木蓉", None, False, True, "端木总"),
    ("澹台灭明", None, False, True, "澹台总"),
    ("万俟卨", None, False, True, "万俟总"),
    ("呼延灼", None, False, True, "呼延总"),
    ("南宫适", None, False, True, "南宫总"),
    ("独孤求败", None, False, True, "独孤总"),
    ("轩辕明", None, False, True, "轩辕总"),
    ("拓跋宏", None, False, True, "拓跋总"),
    ("司空图", None, False, True, "司空总"),
    ("欧阳", None, False, True, "欧阳总"),  # the surname alone
    # single surnames that begin like a compound one stay single
    ("司伟", None, False, True, "司总"),
    ("东伟", None, False, True, "东总"),
    # white space of any width, half- and full-width
    ("张　伟", None, False, True, "张总"),
    (" 欧阳　娜娜 ", "Madam", False, True, "欧阳女士"),
    ("\u3000王\u3000德明\u3000", None, False, True, "王总"),
    # the office typed the salutation as the name: kept as it is
    ("王总", None, False, True, "王总"),
    ("李女士", None, False, True, "李女士"),
    ("欧阳老师", None, False, True, "欧阳老师"),
    # not a business event and no title: the full name, never name + 总
    ("张伟", None, False, False, "张伟"),
    # transliterated names: the last part is the family name
    ("约翰·史密斯", "Mister", False, True, "史密斯先生"),
    ("约翰·史密斯", None, False, True, "史密斯总"),
    # ... also written with a space where the middle dot is hard to type
    ("约翰 史密斯", "Mister", False, True, "史密斯先生"),
    ("玛丽 安托瓦内特", "Madam", False, True, "安托瓦内特女士"),
    ("约翰　史密斯", None, False, True, "史密斯总"),
    # while a space inside a Chinese name is only a space
    ("欧阳 娜娜", None, False, True, "欧阳总"),
    ("金 秀贤", "Madam", False, True, "金女士"),
    ("王德明 先生", None, False, True, "王先生"),
    ("王德明先生", None, False, True, "王先生"),
    ("张伟 李娜", None, False, True, "张总"),  # a couple in one name: the first
    # Latin-script names: Mr/Ms/Dr/Prof + family name with a title, else the full name
    ("John Lee", "Mister", False, True, "Mr Lee"),
    ("John Lee", "Mr.", False, True, "Mr Lee"),
    ("Mary Smith", "Madam", False, True, "Ms Smith"),
    ("Mary Smith", "Miss", False, True, "Ms Smith"),
    ("Anna Müller", "Doctor", False, True, "Dr Müller"),
    ("Alan Turing", "Professor", False, True, "Prof Turing"),
    ("John Lee", None, False, True, "John Lee"),
    ("Lee, John", "Mister", False, True, "Mr Lee"),
    ("Ludwig van Beethoven", "Mister", False, True, "Mr van Beethoven"),
    ("  John   Lee ", None, False, True, "John Lee"),
    ("Tony 王伟", None, False, True, "王总"),
    # companies: the name, never with 总
    ("深圳市阳光置业有限公司", None, False, True, "深圳市阳光置业有限公司"),
    ("万科企业股份有限公司", None, False, True, "万科企业股份有限公司"),
    ("阳光集团", None, False, True, "阳光集团"),
    ("华润置地(深圳)有限公司", "Mister", False, True, "华润置地(深圳)有限公司"),
    ("Sunshine Realty Co., Ltd.", None, False, True, "Sunshine Realty Co., Ltd."),
    ("Sunshine Realty Co.,Ltd", "Mister", False, True, "Sunshine Realty Co.,Ltd"),
    ("Acme Inc.", None, False, True, "Acme Inc."),
    ("阳光置业", None, True, True, "阳光置业"),
    ("Sunshine", "Mister", True, True, "Sunshine"),
    # empty names: nothing to greet (the message falls back to 贵宾)
    ("", None, False, True, ""),
    (None, None, False, True, ""),
    ("　 ", "Madam", False, True, ""),
    ("", None, True, True, ""),
]


def test_the_table_covers_at_least_40_names():
    assert len({row[0] for row in TABLE}) >= 40


@pytest.mark.parametrize("name, title, is_company, business, expected", TABLE)
def test_default_salutation(name, title, is_company, business, expected):
    assert default_salutation(name, title=title, is_company=is_company,
                              business=business) == expected


@pytest.mark.parametrize("compound", sorted(COMPOUND_SURNAMES))
def test_every_compound_surname_is_kept_whole(compound):
    assert surname(compound + "明") == compound
    assert default_salutation(compound + "明", title="Madam") == compound + "女士"


@pytest.mark.parametrize("text, kind", [
    ("Mister", "mister"), ("Mr.", "mister"), ("Madam", "madam"), ("Mrs.", "madam"),
    ("Miss", "madam"), ("Doctor", "doctor"), ("Dr.", "doctor"),
    ("Professor", "professor"), ("Prof.", "professor"), ("小姐", "madam"),
    ("", None), (None, None), ("Sales Director", None),
])
def test_title_kind(text, kind):
    assert title_kind(text) == kind


@pytest.mark.parametrize("name, company", [
    ("某某有限公司", True), ("某某有限责任公司", True), ("阳光集团", True),
    ("Sunshine Co., Ltd.", True), ("SUNSHINE LTD", True), ("王公", False),
    ("张伟", False), ("John Lee", False), ("", False),
])
def test_is_company_name(name, company):
    assert is_company_name(name) is company


_HAN_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(_HAN_CHARS, min_size=2, max_size=4))
def test_never_a_full_name_plus_zong(name):
    """A person's default is the surname + 总, never the whole name + 总 (unless the
    name is nothing but a surname, "欧阳" -> "欧阳总")."""
    assume(not name.endswith(HONORIFICS) and not is_company_name(name))
    greeting = default_salutation(name)
    assert greeting == surname(name) + "总"
    assert greeting != name + "总" or surname(name) == name


@given(st.text(_HAN_CHARS, max_size=6), st.sampled_from(["有限公司", "集团", "公司"]))
def test_never_a_company_name_plus_zong(stem, ending):
    name = stem + ending
    assert default_salutation(name) == name
    assert default_salutation(name, title="Mister") == name


def test_doctests():
    result = doctest.testmod(salutation)
    assert result.attempted >= 15 and result.failed == 0
