"""The coordinator's referral pages: the list of pending referrals and reviews due, one
referral's details, accepting or declining it, and the six-monthly review."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from families.models import Family, Referral, add_months
from tests.factories import AdultFactory, ChildFactory, FamilyFactory, ReferralFactory

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.timedelta(days=400)


def referral_at(centre, **fields) -> Referral:
    """A referral whose family was last used long ago, so that any use shows."""
    referral = ReferralFactory(family=FamilyFactory(centre=centre), **fields)
    Family.objects.filter(pk=referral.family_id).update(last_activity=timezone.now() - LONG_AGO)
    return referral


def accepted_at(centre, review_due: datetime.date, **fields) -> Referral:
    return referral_at(
        centre,
        status=Referral.Status.ACCEPTED,
        decided_at=timezone.now() - datetime.timedelta(days=170),
        review_due=review_due,
        **fields,
    )


def was_used_just_now(family: Family) -> bool:
    family.refresh_from_db()
    return family.last_activity > timezone.now() - datetime.timedelta(minutes=1)


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- deciding --------------------------------------------------------------------------------


def test_accepting_a_referral_sets_the_review_six_months_on_and_activates_the_family(cast, login):
    referral = referral_at(cast.centre)
    response = login(cast.coordinator).post(
        reverse("referral_decide", args=[referral.pk]), {"decision": "accept"}
    )
    assert response.url == reverse("referral_detail", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.review_due == add_months(timezone.localdate(), 6)
    assert referral.decided_by == cast.coordinator
    assert referral.family.status == Family.Status.ACTIVE
    assert was_used_just_now(referral.family)


def test_declining_without_a_reason_is_refused_with_a_message(cast, login):
    referral = referral_at(cast.centre)
    response = login(cast.coordinator).post(
        reverse("referral_decide", args=[referral.pk]), {"decision": "decline", "reason": "  "}
    )
    assert response.status_code == 200
    assert "Give the reason for declining." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING
    assert not was_used_just_now(referral.family)


def test_declining_with_a_reason_saves_the_reason(cast, login):
    referral = referral_at(cast.centre)
    login(cast.coordinator).post(
        reverse("referral_decide", args=[referral.pk]),
        {"decision": "decline", "reason": "Outside our area; referred to Bognor centre."},
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == Referral.Status.DECLINED
    assert referral.decline_reason == "Outside our area; referred to Bognor centre."
    assert referral.review_due is None
    assert referral.family.status == Family.Status.REFERRED
    assert was_used_just_now(referral.family)


def test_a_decided_referral_cannot_be_decided_again(cast, login):
    referral = referral_at(cast.centre)
    client = login(cast.coordinator)
    client.post(
        reverse("referral_decide", args=[referral.pk]), {"decision": "decline", "reason": "No."}
    )
    response = client.post(reverse("referral_decide", args=[referral.pk]), {"decision": "accept"})
    assert "decided already" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED


def test_a_nonsense_decision_is_refused_without_an_error_page(cast, login):
    referral = referral_at(cast.centre)
    response = login(cast.coordinator).post(
        reverse("referral_decide", args=[referral.pk]), {"decision": "maybe"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose to accept or to decline" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING


def test_deciding_and_reviewing_answer_only_to_post(cast, login):
    referral = referral_at(cast.centre)
    client = login(cast.coordinator)
    assert client.get(reverse("referral_decide", args=[referral.pk])).status_code == 405
    assert client.get(reverse("referral_review", args=[referral.pk])).status_code == 405


# --- reviewing -------------------------------------------------------------------------------


def test_a_review_moves_the_next_review_six_months_from_today(cast, login):
    today = timezone.localdate()
    referral = accepted_at(cast.centre, review_due=today - datetime.timedelta(days=3))
    response = login(cast.coordinator).post(reverse("referral_review", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.review_due == add_months(today, 6)
    assert referral.last_reviewed_on == today
    assert was_used_just_now(referral.family)
    assert flash(response)[0].startswith("Review recorded.")


def test_a_pending_referral_cannot_be_reviewed(cast, login):
    referral = referral_at(cast.centre)
    response = login(cast.coordinator).post(
        reverse("referral_review", args=[referral.pk]), follow=True
    )
    assert "Only an accepted referral is reviewed." in response.content.decode()
    referral.refresh_from_db()
    assert (referral.review_due, referral.last_reviewed_on) == (None, None)
    assert not was_used_just_now(referral.family)


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_pending_referrals_oldest_first(cast, login):
    newer = referral_at(cast.centre, received_on=timezone.localdate())
    older = referral_at(cast.centre, received_on=timezone.localdate() - datetime.timedelta(9))
    html = login(cast.coordinator).get(reverse("referral_list")).content.decode()
    assert html.index(older.family.reference) < html.index(newer.family.reference)


def test_the_list_shows_reviews_due_within_two_weeks_or_overdue(cast, login):
    today = timezone.localdate()
    overdue = accepted_at(cast.centre, review_due=today - datetime.timedelta(days=20))
    soon = accepted_at(cast.centre, review_due=today + datetime.timedelta(days=14))
    later = accepted_at(cast.centre, review_due=today + datetime.timedelta(days=15))
    closed = accepted_at(cast.centre, review_due=today)
    Family.objects.filter(pk=closed.family_id).update(status=Family.Status.CLOSED)
    html = login(cast.coordinator).get(reverse("referral_list")).content.decode()
    reviews = html[html.index("Reviews due") : html.index("Recently decided")]
    assert overdue.family.reference in reviews and soon.family.reference in reviews
    assert later.family.reference not in reviews and closed.family.reference not in reviews
    assert reviews.index(overdue.family.reference) < reviews.index(soon.family.reference)
    assert "Overdue" in reviews


def test_the_list_shows_recently_decided_referrals(cast, login):
    recent = referral_at(
        cast.centre,
        status=Referral.Status.DECLINED,
        decided_at=timezone.now() - datetime.timedelta(days=2),
        decline_reason="Full",
    )
    old = referral_at(
        cast.centre,
        status=Referral.Status.DECLINED,
        decided_at=timezone.now() - datetime.timedelta(days=90),
        decline_reason="Full",
    )
    html = login(cast.coordinator).get(reverse("referral_list")).content.decode()
    decided = html[html.index("Recently decided") :]
    assert recent.family.reference in decided and old.family.reference not in decided
    assert "Full" not in html


def test_the_list_names_each_referred_family_and_no_other_centres(cast, login):
    mine = referral_at(cast.centre)
    AdultFactory(family=mine.family, first_name="Amira", last_name="Holloway")
    theirs = referral_at(cast.other_centre)
    AdultFactory(family=theirs.family, first_name="Zainab", last_name="Quarrie")
    html = login(cast.coordinator).get(reverse("referral_list")).content.decode()
    assert "Amira Holloway" in html and "Quarrie" not in html


def test_the_list_shows_only_the_coordinators_own_centre(cast, login):
    mine = referral_at(cast.centre)
    theirs = referral_at(cast.other_centre)
    theirs_due = accepted_at(cast.other_centre, review_due=timezone.localdate())
    html = login(cast.coordinator).get(reverse("referral_list")).content.decode()
    assert mine.family.reference in html
    assert theirs.family.reference not in html and theirs_due.family.reference not in html


def test_the_list_takes_the_same_number_of_queries_for_many_referrals(
    cast, login, django_assert_max_num_queries
):
    today = timezone.localdate()
    client = login(cast.coordinator)
    referral_at(cast.centre)
    accepted_at(cast.centre, review_due=today)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("referral_list"))
    for _ in range(5):
        referral_at(cast.centre)
        accepted_at(cast.centre, review_due=today)
        referral_at(cast.centre, referrer=None, entered_by=cast.coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("referral_list"))


# --- one referral ----------------------------------------------------------------------------


def test_the_detail_page_shows_the_whole_referral_but_no_contact_details(cast, login):
    referral = referral_at(
        cast.centre,
        risk_details="Threats made by text in March.",
        access_needs="Step-free access.",
        referrer=cast.referrer,
    )
    AdultFactory(family=referral.family, address="13 Secret Row", phone="07700 900999")
    ChildFactory(family=referral.family, first_name="Ottoline")
    html = login(cast.coordinator).get(reverse("referral_detail", args=[referral.pk])).content
    html = html.decode()
    assert f'href="{reverse("family_detail", args=[referral.family.pk])}"' in html
    for shown in ["Example &amp; Co Solicitors", "Child arrangements order", "Threats made by text",
                  "Step-free access.", "Supervised", "Not known", cast.referrer.full_name,
                  "Ottoline", "Waiting for a decision"]:  # fmt: skip
        assert shown in html
    assert "13 Secret Row" not in html and "07700 900999" not in html
    assert reverse("referral_decide", args=[referral.pk]) in html
    assert reverse("referral_review", args=[referral.pk]) not in html


def test_the_detail_page_of_an_accepted_referral_offers_the_review(cast, login):
    referral = accepted_at(cast.centre, review_due=timezone.localdate())
    html = login(cast.coordinator).get(reverse("referral_detail", args=[referral.pk]))
    html = html.content.decode()
    assert reverse("referral_review", args=[referral.pk]) in html
    assert reverse("referral_decide", args=[referral.pk]) not in html


def test_the_detail_page_of_a_declined_referral_shows_the_reason(cast, login):
    referral = referral_at(
        cast.centre,
        status=Referral.Status.DECLINED,
        decided_at=timezone.now(),
        decided_by=cast.coordinator,
        decline_reason="Outside our catchment.",
    )
    html = login(cast.coordinator).get(reverse("referral_detail", args=[referral.pk]))
    assert "Outside our catchment." in html.content.decode()


def test_the_detail_page_takes_the_same_number_of_queries_for_a_bigger_family(
    cast, login, django_assert_max_num_queries
):
    referral = referral_at(cast.centre)
    AdultFactory(family=referral.family)  # a referral names at least one adult and a child
    ChildFactory(family=referral.family)
    client = login(cast.coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("referral_detail", args=[referral.pk]))
    AdultFactory.create_batch(4, family=referral.family)
    ChildFactory.create_batch(4, family=referral.family)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("referral_detail", args=[referral.pk]))


def test_an_unknown_referral_is_not_found(cast, login):
    assert login(cast.coordinator).get(reverse("referral_detail", args=[999999])).status_code == 404


# --- outsiders -------------------------------------------------------------------------------


def test_another_centres_coordinator_cannot_reach_a_referral(cast, login):
    referral = referral_at(cast.centre)
    client = login(cast.other_coordinator)
    assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == 404
    decide = reverse("referral_decide", args=[referral.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    referral.refresh_from_db()
    referral.status, referral.review_due = Referral.Status.ACCEPTED, timezone.localdate()
    referral.save()
    assert client.post(reverse("referral_review", args=[referral.pk])).status_code == 404
    referral.refresh_from_db()
    assert referral.decided_by is None and referral.last_reviewed_on is None


@pytest.mark.parametrize("who", ["chair", "volunteer", "referrer", "operator"])
def test_only_a_coordinator_reaches_the_referral_pages(cast, login, who):
    referral = referral_at(cast.centre, referrer=cast.referrer)
    client = login(getattr(cast, who))
    assert client.get(reverse("referral_list")).status_code == 404
    assert client.get(reverse("referral_detail", args=[referral.pk])).status_code == 404
    decide = reverse("referral_decide", args=[referral.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 404
    assert client.post(reverse("referral_review", args=[referral.pk])).status_code == 404
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    referral = referral_at(cast.centre)
    for response in [
        client.get(reverse("referral_list")),
        client.get(reverse("referral_detail", args=[referral.pk])),
        client.post(reverse("referral_decide", args=[referral.pk]), {"decision": "accept"}),
        client.post(reverse("referral_review", args=[referral.pk])),
    ]:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.PENDING


def test_the_coordinators_referral_pages_carry_no_inline_script_or_style(cast, login):
    pending = referral_at(cast.centre)
    accepted = accepted_at(cast.centre, review_due=timezone.localdate())
    client = login(cast.coordinator)
    for url in [
        reverse("referral_list"),
        reverse("referral_create"),
        reverse("referral_detail", args=[pending.pk]),
        reverse("referral_detail", args=[accepted.pk]),
    ]:
        html = client.get(url).content.decode()
        assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html)), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "style=" not in html, url
