"""Attendee contacts (issue 15 point 3): a registration's own name, e-mail and phone
first; a company booking several seats writes to each attendee and greets the
attendee; the company is named, never greeted."""
import pytest

from attribution.event_contacts import AttendeeFacts, Contact, addressee
from attribution.events import render_notice, render_sms

SUN = Contact(name="深圳市阳光置业有限公司", email="office@sun.example",
              mobile="13800000000", is_company=True)


def seat(**kw):
    kw.setdefault("partner", SUN)
    kw.setdefault("organisation", SUN.name)
    return addressee(AttendeeFacts(**kw))


@pytest.mark.parametrize("facts, expected", [
    # the company books seats: each attendee written to and greeted
    (dict(name="王德明", email="wang@sun.example", mobile="13911112222"),
     ("王德明", "王总", "wang@sun.example", "13911112222", SUN.name)),
    (dict(name="李娜", email="li@sun.example"),
     ("李娜", "李总", "li@sun.example", SUN.mobile, SUN.name)),
    # the attendee's own contact at the company: its salutation and addresses
    (dict(name="欧阳娜娜",
          contact=Contact(name="欧阳娜娜", email="oy@sun.example", mobile="13700000001",
                          salutation="欧阳董")),
     ("欧阳娜娜", "欧阳董", "oy@sun.example", "13700000001", SUN.name)),
    # a seat without an attendee's name: the company, greeted by its name
    (dict(), (SUN.name, SUN.name, SUN.email, SUN.mobile, "")),
    (dict(name=SUN.name), (SUN.name, SUN.name, SUN.email, SUN.mobile, "")),
])
def test_company_seats_go_to_each_attendee(facts, expected):
    result = seat(**facts)
    assert (result.name, result.salutation, result.email, result.mobile,
            result.organisation) == expected


def test_person_partner_keeps_the_salutation_typed_by_the_office():
    li = Contact(name="李娜", email="li@example.com", mobile="13900000002",
                 salutation="李老师")
    result = addressee(AttendeeFacts(name="李娜", partner=li))
    assert (result.salutation, result.email, result.mobile) == (
        "李老师", "li@example.com", "13900000002")
    # the registration's own e-mail and phone come first
    own = addressee(AttendeeFacts(name="李娜", email="na@home.example",
                                  mobile="13600000003", partner=li))
    assert (own.email, own.mobile, own.salutation) == (
        "na@home.example", "13600000003", "李老师")
    # booked by 李娜 for her husband: he is greeted, not she
    other = addressee(AttendeeFacts(name="陈刚", partner=li))
    assert (other.name, other.salutation, other.email) == ("陈刚", "陈总", li.email)


def test_employee_partner_names_the_company():
    wang = Contact(name="王德明", email="wang@sun.example", title="Mister")
    result = addressee(AttendeeFacts(partner=wang, organisation=SUN.name))
    assert (result.salutation, result.organisation) == ("王先生", SUN.name)


@pytest.mark.parametrize("code", ["E1", "E2", "E3", "E4", "E5"])
def test_every_message_greets_the_attendee_and_names_the_company(code):
    who = seat(name="王德明", email="wang@sun.example")
    ctx = dict(name=who.name, salutation=who.salutation, organisation=who.organisation,
               event="答谢会", consultant="陈卫", company="阳光售楼处", days=2,
               date_range="9号", seats=1)
    text = render_sms(code, ctx)
    assert "深圳市阳光置业有限公司王总" in text
    assert "有限公司总" not in text and "王德明总" not in text
    if code in ("E4", "E5"):
        assert render_notice(code, ctx).startswith("深圳市阳光置业有限公司王总您好!")


def test_person_renamed_after_registering_is_still_the_attendee():
    zhang = Contact(name="张伟", email="z@example.com", salutation="张女士")
    result = addressee(AttendeeFacts(name="张", partner=zhang))
    assert (result.name, result.salutation) == ("张伟", "张女士")


def test_hand_edited_salutation_of_a_company_greets_its_own_seat():
    company = Contact(name=SUN.name, salutation="阳光置业各位领导", is_company=True, id=7)
    who = seat(partner=company)
    assert (who.salutation, who.partner_id) == ("阳光置业各位领导", 7)
    # a named attendee of the company is greeted as the attendee, never so
    assert seat(partner=company, name="王德明").salutation == "王总"


@pytest.mark.parametrize("facts, expected", [
    # the attendee's own contact at the company: theirs is the opt-out that counts
    (dict(name="欧阳娜娜", contact=Contact(name="欧阳娜娜", mobile="13700000001", id=3)),
     3),
    # a named attendee without a contact of their own: nobody's, not the company's
    (dict(name="王德明", mobile="13911112222"), None),
    # the company's own seat: the company
    (dict(), 1),
])
def test_the_partner_addressed_is_the_attendee_never_the_booking_company(
        facts, expected):
    company = Contact(name=SUN.name, mobile=SUN.mobile, is_company=True, id=1)
    assert seat(partner=company, **facts).partner_id == expected


def test_a_person_booking_for_someone_else_is_not_the_addressee():
    husband = Contact(name="王德明", mobile="13911110000", id=5)
    assert addressee(AttendeeFacts(name="李娜", mobile="13911112222",
                                   partner=husband)).partner_id is None
    assert addressee(AttendeeFacts(name="王德明", partner=husband)).partner_id == 5
