"""The arrangement letter, per adult (issue 18, point 1): a page, a PDF and an email with a
calendar, each giving one adult the centre, the dates of their sessions, their own times, what
to do on arrival, the rules and how to cancel, and nothing of the other adult. Producing it is
a disclosure to that adult of their own data, decided by the policy and recorded."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from cccc.models import AccessLog
from disclosures.models import DisclosureRequest
from families.models import FamilyMail
from tests.disclosures.test_summons import flat, pdf_text
from tests.mail_cases import events_of, mine_and_theirs, raw_calendar, sent_to

pytestmark = pytest.mark.django_db


def letter_on_page(response) -> str:
    html = response.content.decode()
    found = re.search(r'<article class="[^"]*arrangement-letter[^"]*">(.*?)</article>', html, re.S)
    assert found, "the page has the letter"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def url(name, pair, adult):
    return reverse(name, args=[pair.family.pk, adult.pk])


def email_letter(client, pair, adult, capture):
    with capture(execute=True):
        response = client.post(url("arrangement_letter_email", pair, adult))
    assert response.status_code == 302
    (message,) = sent_to(adult.email)
    return message


@pytest.mark.parametrize("who", ["mother", "father"])
def test_each_letter_gives_only_that_adults_own_times_and_nothing_of_the_other(
    cast, login, pair, who, django_capture_on_commit_callbacks
):
    adult = getattr(pair, who)
    mine, never = mine_and_theirs(pair, adult)
    client = login(cast.coordinator)

    page = letter_on_page(client.get(url("arrangement_letter", pair, adult)))
    pdf = flat(pdf_text(client.get(url("arrangement_letter_pdf", pair, adult)).content))
    message = email_letter(client, pair, adult, django_capture_on_commit_callbacks)
    calendar = "\n".join(
        line for line in raw_calendar(message).splitlines() if not line.startswith("DTSTAMP")
    )

    for where, text in [("page", page), ("PDF", pdf), ("email", message.body)]:
        for own in mine:
            assert own in text, f"{who}'s {where} lacks their own time {own}"
        assert f"{adult.first_name} {adult.last_name}" in text
        for other in never:
            assert other not in text, f"{who}'s {where} gives {other!r}"
    for other in never:
        assert other not in calendar, f"{who}'s calendar gives {other!r}"
    assert other_adult(pair, adult).email not in message.to + message.cc + message.bcc


def other_adult(pair, adult):
    return pair.father if adult == pair.mother else pair.mother


def test_the_letter_gives_the_centre_the_dates_arrival_rules_and_how_to_cancel(cast, login, pair):
    page = letter_on_page(login(cast.coordinator).get(url("arrangement_letter", pair, pair.mother)))
    for expected in [
        "Home Centre", "12 Lantern Street", "BW1 2CC",
        f"{pair.session.date:%A} {pair.session.date.day} {pair.session.date:%B %Y}",
        f"{pair.later.date:%A} {pair.later.date.day} {pair.later.date:%B %Y}",
        "Arrive with the children at 9:07am", "Leave the building by 9:23am",
        "Come back at 12:41pm", "Leave with the children by 12:58pm",
        "When you arrive", "tell the volunteer at the door",
        "No cameras, phones or other recording at the centre",
        "Do not talk about, or pass on, anything about other people who use the centre",
        "If you cannot come", "bookings@home-centre.example",
    ]:  # fmt: skip
        assert expected in page, expected


def test_a_cancelled_or_past_session_is_not_in_the_letter(cast, login, pair):
    pair.later.status = "cancelled"
    pair.later.save()
    page = letter_on_page(login(cast.coordinator).get(url("arrangement_letter", pair, pair.mother)))
    assert "2:03pm" not in page
    assert "9:07am" in page


def test_producing_the_letter_is_a_disclosure_to_the_adult_decided_by_the_policy(cast, login, pair):
    client = login(cast.coordinator)
    client.get(url("arrangement_letter", pair, pair.mother))
    (req,) = DisclosureRequest.objects.filter(family=pair.family)
    assert (req.category, req.requester_type, req.subject_adult) == (
        "own_arrangements", "data_subject", pair.mother,
    )  # fmt: skip
    assert (req.status, req.permitted, req.ground) == ("decided", True, "own_arrangements")
    assert req.clauses == "CHI-4.1,CHI-4.5"  # the home centre runs the Chichester policy
    assert req.received_via == "letter" and req.subject_told == "yes"
    assert "2 sessions" in req.released
    entry = AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).latest("seq")
    assert (entry.record_id, entry.user) == (req.pk, cast.coordinator)
    assert "Philippa" not in entry.detail and "Marchbanks" not in entry.detail


def test_the_same_letter_again_is_one_disclosure_with_a_count_of_views(cast, login, pair):
    client = login(cast.coordinator)
    client.get(url("arrangement_letter", pair, pair.mother))
    client.get(url("arrangement_letter_pdf", pair, pair.mother))
    (req,) = DisclosureRequest.objects.filter(family=pair.family)
    assert req.views == 2
    assert (
        AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE, record_id=req.pk).count() == 2
    )
    pair.later.status = "cancelled"  # a different letter now
    pair.later.save()
    client.get(url("arrangement_letter", pair, pair.mother))
    assert DisclosureRequest.objects.filter(family=pair.family).count() == 2


def test_the_email_carries_the_adults_own_sessions_as_a_calendar_request(
    cast, login, pair, django_capture_on_commit_callbacks
):
    message = email_letter(
        login(cast.coordinator), pair, pair.father, django_capture_on_commit_callbacks
    )
    events = events_of(message)
    assert [e.decoded("dtstart").astimezone().time() for e in events] == [
        datetime.time(10, 11),
        datetime.time(14, 29),
    ]
    assert [e.decoded("dtend").astimezone().time() for e in events] == [
        datetime.time(11, 49),
        datetime.time(16, 31),
    ]
    assert "METHOD:REQUEST" in raw_calendar(message)
    for event in events:
        assert str(event["location"]) == "Home Centre, 12 Lantern Street, Brightwell, BW1 2CC"
        assert int(event["sequence"]) == 0
        assert set(event) == {
            "UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "LOCATION", "STATUS",
            "ORGANIZER",
        }  # fmt: skip
    (req,) = DisclosureRequest.objects.filter(family=pair.family, received_via="email")
    assert req.subject_adult == pair.father
    assert FamilyMail.objects.get(adult=pair.father, kind="letter").status == "sent"


def test_an_adult_without_consent_to_email_is_not_emailed_and_nothing_is_recorded(
    cast, login, pair, django_capture_on_commit_callbacks
):
    pair.mother.email_consents.update(
        withdrawn_at=datetime.datetime.now(datetime.UTC), how_withdrawn="phone"
    )
    client = login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("arrangement_letter_email", pair, pair.mother), follow=True)
    assert "has not consented to email" in response.content.decode()
    assert mail.outbox == []
    assert not DisclosureRequest.objects.filter(family=pair.family).exists()
    page = client.get(url("arrangement_letter", pair, pair.mother)).content.decode()
    assert "Email the letter" not in page


OUTSIDERS = [
    "other_coordinator", "chair", "volunteer", "referrer", "operator", "other_chair",
    "other_volunteer", "other_referrer",
]  # fmt: skip


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_and_nothing_is_released(cast, login, pair, who):
    client = login(getattr(cast, who))
    for method, name in [
        ("get", "arrangement_letter"),
        ("get", "arrangement_letter_pdf"),
        ("post", "arrangement_letter_email"),
    ]:
        response = getattr(client, method)(url(name, pair, pair.mother))
        assert response.status_code == 404, (who, name)
    assert not DisclosureRequest.objects.exists()
    assert mail.outbox == []


def test_an_adult_of_another_family_is_a_404_through_this_familys_address(cast, login, pair):
    from tests.factories import AdultFactory, FamilyFactory

    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre))
    response = login(cast.coordinator).get(
        reverse("arrangement_letter", args=[pair.family.pk, stranger.pk])
    )
    assert response.status_code == 404
