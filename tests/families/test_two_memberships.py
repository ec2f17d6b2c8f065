"""A person with two memberships (issue 19): the families pages show only the membership in
use. A coordinator at the home centre (A) and at the other centre (B), working as B, sees
nothing of A, not even a count: each page's main content is exactly what B's own
single-membership coordinator sees. A's family, referral, session, series, room and concern
pages are a 404. A referrer at both centres sees, in each, only their referrals made there."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role
from families import services
from families.access import own_referrals_for
from families.email_consent_services import email_consent_give
from families.import_services import families_import
from families.models import Adult, Child, Concern, Referral
from families.models.concern import raised_as_volunteer
from tests.conftest import sign_in
from tests.factories import (
    AdultFactory,
    ChildFactory,
    ConcernFactory,
    ContactSessionFactory,
    FamilyFactory,
    MembershipFactory,
    ReferralFactory,
    SeriesFactory,
    UserFactory,
    membership_of,
    room_named,
)
from tests.families.test_referral_intake import intake

pytestmark = pytest.mark.django_db

# What only centre A's records carry: none of it may show while working as B.
A_MARKERS = ["HOM-2026-0042", "Zanzibar", "Xylophone", "Attic of A"]


@pytest.fixture
def records(cast):
    """Records at both centres: A's carry the markers, B's are ordinary."""
    today = timezone.localdate()
    a = FamilyFactory(centre=cast.centre, reference="HOM-2026-0042")
    AdultFactory(family=a, first_name="Xylophone", last_name="Zanzibar")
    ChildFactory(family=a, first_name="Xylophone", last_name="Zanzibar")
    b = FamilyFactory(centre=cast.other_centre, reference="OTH-2026-0001")
    AdultFactory(family=b, first_name="Ann", last_name="Quimby")
    found = {}
    for key, family in (("a", a), ("b", b)):
        room = "Attic of A" if key == "a" else "Blue room"
        found[key] = {
            "family": family,
            "room": room_named(family.centre, room),
            "session": ContactSessionFactory(family=family, date=today, room=room),
            "later": ContactSessionFactory(family=family, room=room),
            "series": SeriesFactory(family=family, room=room_named(family.centre, room)),
            "referral": ReferralFactory(family=family),
            "accepted": ReferralFactory(
                family=family,
                status=Referral.Status.ACCEPTED,
                decided_at=timezone.now(),
                review_due=today + datetime.timedelta(days=3),
            ),
            "concern": ConcernFactory(family=family),
            "adult": family.adults.first(),
        }
    return found


@pytest.fixture
def person(cast):
    """Coordinator at A (their first membership) and at B."""
    user = UserFactory(role=Role.COORDINATOR, centre=cast.centre, email="both@example.org")
    MembershipFactory(user=user, centre=cast.other_centre, role=Role.COORDINATOR)
    return user


def working_as(client, user, centre):
    sign_in(client, user)
    chosen = membership_of(user, centre)
    assert client.post(reverse("membership_switch"), {"membership": chosen.pk}).status_code == 302
    return client


def main_of(response) -> str:
    """The page's main content, without the form tokens that differ by session."""
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


@pytest.fixture
def as_b(client, person, cast, records):
    return working_as(client, person, cast.other_centre)


@pytest.fixture
def b_only(cast, records):
    """B's own coordinator, with no other membership, on a client of their own."""
    return sign_in(Client(), cast.other_coordinator)


def _lists(records) -> list[str]:
    today = timezone.localdate()
    return [
        reverse("family_list"),
        reverse("family_list") + "?attention=concern",
        reverse("family_list") + "?attention=review",
        reverse("family_list") + "?ref=HOM",
        reverse("referral_list"),
        reverse("referral_create"),
        reverse("room_list"),
        reverse("day_view"),
        reverse("week_view"),
        reverse("day_view_for", args=[today.isoformat()]),
        reverse("family_detail", args=[records["b"]["family"].pk]),
        reverse("referral_detail", args=[records["b"]["referral"].pk]),
        reverse("session_detail", args=[records["b"]["session"].pk]),
        reverse("series_detail", args=[records["b"]["series"].pk]),
    ]


def test_working_as_b_every_page_is_exactly_what_bs_own_coordinator_sees(as_b, b_only, records):
    for url in _lists(records):
        mine = main_of(as_b.get(url))
        for marker in A_MARKERS:
            assert marker not in mine, (url, marker)
        assert mine == main_of(b_only.get(url)), url
    assert "OTH-2026-0001" in as_b.get(reverse("family_list")).content.decode()
    assert "Blue room" in as_b.get(reverse("room_list")).content.decode()


def test_working_as_a_the_same_person_sees_as_records_so_the_test_above_means_something(
    client, person, cast, records
):
    client = working_as(client, person, cast.centre)
    html = client.get(reverse("family_list")).content.decode()
    assert "HOM-2026-0042" in html and "OTH-2026-0001" not in html
    assert "Attic of A" in client.get(reverse("room_list")).content.decode()
    family = records["a"]["family"]
    assert client.get(reverse("family_detail", args=[family.pk])).status_code == 200
    b_family = records["b"]["family"]
    assert client.get(reverse("family_detail", args=[b_family.pk])).status_code == 404


def test_working_as_b_every_page_of_as_records_is_a_404(as_b, records):
    a = records["a"]
    family, adult = a["family"].pk, a["adult"].pk
    for url in [
        reverse("family_detail", args=[family]),
        reverse("family_edit", args=[family]),
        reverse("adult_add", args=[family]),
        reverse("adult_edit", args=[family, adult]),
        reverse("child_add", args=[family]),
        reverse("acknowledgement_add", args=[family, adult]),
        reverse("email_consent", args=[family, adult]),
        reverse("keep_apart_add", args=[family]),
        reverse("concern_add", args=[family]),
        reverse("session_book", args=[family]),
        reverse("series_new", args=[family]),
        reverse("referral_detail", args=[a["referral"].pk]),
        reverse("session_detail", args=[a["session"].pk]),
        reverse("session_move", args=[a["later"].pk]),
        reverse("series_detail", args=[a["series"].pk]),
        reverse("room_edit", args=[a["room"].pk]),
        reverse("concern_close", args=[a["concern"].pk]),
    ]:
        assert as_b.get(url).status_code == 404, url
    for url in [
        reverse("contact_reveal", args=[family, adult]),
        reverse("referral_decide", args=[a["referral"].pk]),
        reverse("referral_review", args=[a["accepted"].pk]),
        reverse("session_cancel", args=[a["later"].pk]),
        reverse("series_cancel_rest", args=[a["series"].pk]),
    ]:
        assert as_b.post(url, {"decision": "accept", "reason": "x"}).status_code == 404, url
    a["referral"].refresh_from_db()
    assert a["referral"].status == Referral.Status.PENDING


def test_a_search_typed_as_a_is_neither_shown_nor_run_once_working_as_b(
    client, person, cast, records
):
    client = working_as(client, person, cast.centre)
    response = client.post(reverse("family_search"), {"q": "Zanzibar"}, follow=True)
    assert [f.pk for f in response.context["page"].object_list] == [records["a"]["family"].pk]
    client.post(
        reverse("membership_switch"), {"membership": membership_of(person, cast.other_centre).pk}
    )
    html = client.get(reverse("family_list") + "?search=1").content.decode()
    assert "Zanzibar" not in html and "HOM-2026-0042" not in html
    assert "That search has expired" in html


def test_a_search_as_b_finds_nothing_of_a_and_reads_as_bs_own_coordinators(as_b, b_only):
    for term in ["Zanzibar", "Xylophone", "Quimby", "HOM-2026", "zanz"]:
        mine = as_b.post(reverse("family_search"), {"q": term}, follow=True)
        theirs = b_only.post(reverse("family_search"), {"q": term}, follow=True)
        assert "HOM-2026-0042" not in mine.content.decode()
        assert main_of(mine) == main_of(theirs), term


# --- a referrer at two centres --------------------------------------------------------------


@pytest.fixture
def referrer(cast):
    user = UserFactory(role=Role.REFERRER, centre=cast.centre, email="refers@example.org")
    MembershipFactory(user=user, centre=cast.other_centre, role=Role.REFERRER)
    return user


def test_a_referrer_at_two_centres_sees_in_each_only_the_referrals_made_there(
    client, cast, referrer
):
    at_a = ReferralFactory(family=FamilyFactory(centre=cast.centre), referrer=referrer)
    at_b = ReferralFactory(family=FamilyFactory(centre=cast.other_centre), referrer=referrer)
    for centre, mine, theirs in ((cast.centre, at_a, at_b), (cast.other_centre, at_b, at_a)):
        working_as(client, referrer, centre)
        html = client.get(reverse("referrer_portal")).content.decode()
        assert mine.family.reference in html and theirs.family.reference not in html
        assert centre.name in html
        membership = membership_of(referrer, centre)
        assert list(own_referrals_for(membership)) == [mine]
        with pytest.raises(Http404):
            get_object_or_404(own_referrals_for(membership), pk=theirs.pk)
        for referral in (mine, theirs):
            url = reverse("referral_detail", args=[referral.pk])
            assert client.get(url).status_code == 404


def test_a_referrer_at_two_centres_refers_to_the_centre_they_work_as(client, cast, referrer):
    working_as(client, referrer, cast.other_centre)
    response = client.post(reverse("referrer_refer"), intake())
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.centre == referral.family.centre == cast.other_centre
    assert referral.family.reference.startswith(cast.other_centre.code)
    assert (referral.referrer, referral.entered_by) == (referrer, referrer)


def test_what_a_person_referred_at_a_is_not_theirs_as_bs_coordinator(client, cast):
    person = UserFactory(role=Role.REFERRER, centre=cast.centre, email="mixed@example.org")
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.COORDINATOR)
    made = ReferralFactory(family=FamilyFactory(centre=cast.centre), referrer=person)
    working_as(client, person, cast.other_centre)
    assert made.family.reference not in client.get(reverse("referral_list")).content.decode()
    assert client.get(reverse("referral_detail", args=[made.pk])).status_code == 404
    assert client.get(reverse("referrer_portal")).status_code == 404
    with pytest.raises(ValidationError, match="this centre's referrers"):
        services.referral_submit(
            centre=cast.other_centre,
            entered_by=person,
            referrer=person,  # a referrer, but at A: not one of B's referrers
            referral=Referral(agency_type="solicitor", contact_type="supported"),
            adults=[Adult(role="resident", first_name="A"), Adult(role="non_resident")],
            children=[Child(first_name="C")],
        )


def test_a_coordinator_at_a_only_enters_no_referral_for_b(cast):
    with pytest.raises(ValidationError, match="centre's own users"):
        services.referral_submit(
            centre=cast.other_centre,
            entered_by=cast.coordinator,
            referral=Referral(agency_type="solicitor", contact_type="supported"),
            adults=[Adult(role="resident", first_name="A"), Adult(role="non_resident")],
            children=[Child(first_name="C")],
        )


# --- the services check the role at the record's own centre ---------------------------------


@pytest.fixture
def volunteer_at_a(cast):
    """A volunteer at A who is the coordinator at B."""
    user = UserFactory(role=Role.VOLUNTEER, centre=cast.centre, email="helps@example.org")
    MembershipFactory(user=user, centre=cast.other_centre, role=Role.COORDINATOR)
    return user


def test_a_coordinator_at_b_records_no_consent_for_an_adult_of_a(cast, volunteer_at_a):
    adult = AdultFactory(family=FamilyFactory(centre=cast.centre))
    with pytest.raises(ValidationError, match="centre's coordinator"):
        email_consent_give(
            adult=adult, given_on=timezone.localdate(), how_given="in_person", by=volunteer_at_a
        )
    ours = AdultFactory(family=FamilyFactory(centre=cast.other_centre))
    consent = email_consent_give(
        adult=ours, given_on=timezone.localdate(), how_given="in_person", by=volunteer_at_a
    )
    assert consent.adult == ours


def test_a_coordinator_at_b_imports_no_families_into_a(cast, volunteer_at_a):
    with pytest.raises(ValidationError, match="centre's coordinator"):
        families_import(centre=cast.centre, by=volunteer_at_a, rows=[])
    assert families_import(centre=cast.other_centre, by=volunteer_at_a, rows=[]) == []


def test_guidance_answers_a_volunteer_only_if_raised_as_a_volunteer_of_its_centre(
    cast, volunteer_at_a
):
    at_a = ConcernFactory(family=FamilyFactory(centre=cast.centre), raised_by=volunteer_at_a)
    at_b = ConcernFactory(family=FamilyFactory(centre=cast.other_centre), raised_by=volunteer_at_a)
    assert at_a.answers_a_volunteer and not at_b.answers_a_volunteer
    listed = Concern.objects.annotate(raised_as_volunteer=raised_as_volunteer()).order_by("pk")
    assert [c.answers_a_volunteer for c in listed] == [True, False]
