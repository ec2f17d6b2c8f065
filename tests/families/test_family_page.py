"""A family's page: its people, keep-apart flags, referrals, sessions and open concerns, for
the coordinator of its own centre only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from families.models import Adult, Concern, ContactSession
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
    RulesAcknowledgementFactory,
)

pytestmark = pytest.mark.django_db


def page(family):
    return reverse("family_detail", args=[family.pk])


def test_it_shows_the_header_with_reference_status_and_last_activity(cast, login):
    family = FamilyFactory(centre=cast.centre, reference="HOM-2026-0007", status="active")
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert "Family HOM-2026-0007" in html
    assert "Active" in html
    assert timezone.localtime(family.last_activity).strftime("%-d %b %Y") in html


def test_it_shows_the_adults_names_roles_and_acknowledgements(cast, login):
    cast.centre.rules_version = "3"
    cast.centre.save()
    family = FamilyFactory(centre=cast.centre)
    mum = AdultFactory(family=family, first_name="Rowena", last_name="Quill")
    dad = AdultFactory(
        family=family, role=Adult.Role.NON_RESIDENT_PARENT, first_name="Bram", last_name="Stone"
    )
    RulesAcknowledgementFactory(
        adult=mum, acknowledged_on=datetime.date(2026, 1, 12), policy_version="3"
    )
    RulesAcknowledgementFactory(
        adult=dad, acknowledged_on=datetime.date(2025, 6, 1), policy_version="2"
    )

    html = login(cast.coordinator).get(page(family)).content.decode()

    assert "Rowena Quill" in html and "Bram Stone" in html
    assert "Resident parent" in html and "Non-resident parent" in html
    assert "Acknowledged 12 Jan 2026 (version 3)" in html
    assert "Acknowledged 1 Jun 2025 (version 2)" in html
    assert "Not the current version (3)" in html
    assert html.count("Reveal contact details") == 2


def test_an_adult_who_never_acknowledged_the_rules_is_marked(cast, login):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family)
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert "Not acknowledged" in html


def test_it_shows_the_children_with_their_age_and_needs(cast, login):
    family = FamilyFactory(centre=cast.centre)
    today = timezone.localdate()
    ChildFactory(
        family=family,
        first_name="Tilly",
        last_name="Quill",
        date_of_birth=today.replace(year=today.year - 7) - datetime.timedelta(days=1),
        needs="Uses an inhaler.",
    )
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert "<td>Tilly</td>" in html and "<td>Quill</td>" in html
    assert "<td>7</td>" in html
    assert "Uses an inhaler." in html


def test_a_keep_apart_flag_names_another_familys_adult_only_by_reference_and_role(cast, login):
    family = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    ours = AdultFactory(family=family, first_name="Rowena", last_name="Quill")
    other_family = FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    theirs = AdultFactory(
        family=other_family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        first_name="Barnaby",
        last_name="Hollowell",
    )
    KeepApartFactory(adult_a=ours, adult_b=theirs)

    html = login(cast.coordinator).get(page(family)).content.decode()

    assert "Rowena Quill (resident parent)" in html
    assert "HOM-2026-0002 non-resident parent" in html
    assert "Barnaby" not in html and "Hollowell" not in html


def test_a_keep_apart_flag_within_the_family_names_both_adults(cast, login):
    family = FamilyFactory(centre=cast.centre)
    mum = AdultFactory(family=family, first_name="Rowena", last_name="Quill")
    dad = AdultFactory(
        family=family, role=Adult.Role.NON_RESIDENT_PARENT, first_name="Bram", last_name="Stone"
    )
    KeepApartFactory(adult_a=mum, adult_b=dad)
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert "Rowena Quill (resident parent)" in html
    assert "Bram Stone (non-resident parent)" in html
    assert "No keep-apart flags." not in html


def test_it_lists_referrals_with_a_link_to_each(cast, login):
    family = FamilyFactory(centre=cast.centre)
    referral = ReferralFactory(
        family=family,
        received_on=datetime.date(2026, 2, 3),
        agency_type="cafcass",
        agency_name="CAFCASS South",
        status="accepted",
        review_due=datetime.date(2026, 8, 3),
    )
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert reverse("referral_detail", args=[referral.pk]) in html
    assert "CAFCASS: CAFCASS South" in html
    assert "Accepted" in html and "3 Aug 2026" in html


def test_it_lists_upcoming_and_recent_sessions_with_links(cast, login):
    family = FamilyFactory(centre=cast.centre)
    today = timezone.localdate()
    coming = ContactSessionFactory(
        family=family, date=today + datetime.timedelta(days=4), room="Green room"
    )
    past = ContactSessionFactory(
        family=family,
        date=today - datetime.timedelta(days=10),
        status=ContactSession.Status.CANCELLED,
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(15, 30),
    )
    ContactSessionFactory(date=today + datetime.timedelta(days=4))  # another family's

    response = login(cast.coordinator).get(page(family))

    # Each table's rows, drawn as HTML (families/session_rows.py): this family's only.
    [(_, upcoming), (_, recent)] = response.context["session_tables"]
    link = 'href="{}"'.format
    assert [link(reverse("session_detail", args=[coming.pk])) in row for row in upcoming] == [True]
    assert [link(reverse("session_detail", args=[past.pk])) in row for row in recent] == [True]
    html = response.content.decode()
    assert reverse("session_detail", args=[coming.pk]) in html
    assert reverse("session_detail", args=[past.pk]) in html
    assert "Green room" in html and "14:00–15:30" in html and "Cancelled" in html
    assert reverse("session_book", args=[family.pk]) in html


def test_it_shows_open_concerns_with_a_close_form_and_hides_closed_ones(cast, login):
    family = FamilyFactory(centre=cast.centre)
    concern = ConcernFactory(
        family=family, kind=Concern.Kind.SAFEGUARDING, text="Child said something worrying."
    )
    ConcernFactory(family=family, status="closed", text="An old, settled question.")
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert "Child said something worrying." in html
    assert "Safeguarding concern" in html
    assert reverse("concern_close", args=[concern.pk]) in html
    assert "An old, settled question." not in html


def test_it_links_to_every_form_of_the_family(cast, login):
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family)
    child = ChildFactory(family=family)
    html = login(cast.coordinator).get(page(family)).content.decode()
    for url in [
        reverse("family_edit", args=[family.pk]),
        reverse("adult_add", args=[family.pk]),
        reverse("adult_edit", args=[family.pk, adult.pk]),
        reverse("acknowledgement_add", args=[family.pk, adult.pk]),
        reverse("child_add", args=[family.pk]),
        reverse("child_edit", args=[family.pk, child.pk]),
        reverse("keep_apart_add", args=[family.pk]),
        reverse("concern_add", args=[family.pk]),
        reverse("contact_reveal", args=[family.pk, adult.pk]),
    ]:
        assert url in html, url


def test_viewing_the_page_is_not_use_of_the_record(cast, login):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family)
    before = family.last_activity
    login(cast.coordinator).get(page(family))
    family.refresh_from_db()
    assert family.last_activity == before


def test_the_page_has_no_inline_script_style_or_handlers(cast, login):
    family = FamilyFactory(centre=cast.centre)
    AdultFactory(family=family)
    ConcernFactory(family=family)
    html = login(cast.coordinator).get(page(family)).content.decode()
    assert "<script>" not in html and "style=" not in html
    assert " onclick=" not in html and " onsubmit=" not in html


def fill(family, n: int) -> None:
    today = timezone.localdate()
    other_family = FamilyFactory(centre=family.centre)
    for i in range(n):
        adult = AdultFactory(family=family)
        RulesAcknowledgementFactory(adult=adult)
        KeepApartFactory(adult_a=adult, adult_b=AdultFactory(family=other_family))
        ChildFactory(family=family)
        ReferralFactory(family=family)
        ContactSessionFactory(family=family, date=today + datetime.timedelta(days=i + 1))
        ContactSessionFactory(family=family, date=today - datetime.timedelta(days=i + 1))
        ConcernFactory(family=family)


def test_the_page_takes_the_same_number_of_queries_however_full_the_family(cast, login):
    client = login(cast.coordinator)
    small, big = FamilyFactory(centre=cast.centre), FamilyFactory(centre=cast.centre)
    fill(small, 1)
    fill(big, 8)
    client.get(page(small))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(page(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(page(big)).status_code == 200
    assert len(many) <= len(few)


# --- outsiders ----------------------------------------------------------------------------------


def test_another_centres_coordinator_gets_a_404(cast, login):
    family = FamilyFactory(centre=cast.centre)
    assert login(cast.other_coordinator).get(page(family)).status_code == 404


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_only_the_coordinator_reaches_a_family_page(cast, login, role):
    family = FamilyFactory(centre=cast.centre)
    assert login(getattr(cast, role)).get(page(family)).status_code == 404


def test_an_unknown_family_is_a_404(cast, login):
    assert login(cast.coordinator).get("/families/999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    family = FamilyFactory(centre=cast.centre)
    response = client.get(page(family))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
