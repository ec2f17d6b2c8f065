"""disclosures/access.py and disclosures/legal_access.py called directly: each record reaches
exactly the roles of its own centre that may read it, in one query with what its page shows."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosures import access, legal_access
from families.models import Referral
from tests.factories import (
    AdultFactory,
    AssessmentAgreementFactory,
    DisclosureRequestFactory,
    FamilyFactory,
    PoliceVisitFactory,
    ReferralFactory,
    SarItemReviewFactory,
    SubjectAccessRequestFactory,
    WitnessSummonsFactory,
    membership_of,
)

pytestmark = pytest.mark.django_db

ACCEPTED = Referral.Status.ACCEPTED

ROLES = ["coordinator", "chair", "volunteer", "referrer", "operator"]


def queries(run) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


def break_glass(family, *, decided_at=None, acknowledged_by=None):
    return DisclosureRequestFactory(
        family=family,
        decided=True,
        requester_type="police",
        permitted=True,
        ground="violence_risk",
        clauses="CHI-3",
        exception="violence_risk",
        break_glass_reason="Threats made at the handover.",
        decided_at=decided_at or timezone.now(),
        chair_acknowledged_at=timezone.now() if acknowledged_by else None,
        chair_acknowledged_by=acknowledged_by,
    )


# --- who reaches what -------------------------------------------------------------------------


def test_a_visitor_not_signed_in_reaches_no_disclosure_or_legal_record(cast, client):
    """A visitor has no membership (request.membership is None): every page sends them to
    sign in."""
    family = FamilyFactory(centre=cast.centre)
    request = break_glass(family)
    sar = SubjectAccessRequestFactory(adult=AdultFactory(family=family))
    for url in [
        reverse("disclosure_register"),
        reverse("disclosure_request_detail", args=[request.pk]),
        reverse("legal_home"),
        reverse("sar_detail", args=[sar.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_referrer_reaches_only_the_families_they_referred_once_each(cast):
    referred, other = FamilyFactory(centre=cast.centre), FamilyFactory(centre=cast.centre)
    ReferralFactory.create_batch(2, family=referred, referrer=cast.referrer, status=ACCEPTED)
    ReferralFactory(family=other, referrer=cast.other_referrer, status=ACCEPTED)
    assert list(access.referred_families_for(membership_of(cast.referrer))) == [referred]
    assert access.get_referred_family_for(membership_of(cast.referrer), referred.pk) == referred
    with pytest.raises(Http404):
        access.get_referred_family_for(membership_of(cast.referrer), other.pk)
    for role in ["coordinator", "chair", "volunteer", "operator"]:
        assert not access.referred_families_for(membership_of(getattr(cast, role))).exists()


def test_a_referrer_reaches_no_family_of_another_centre_even_one_they_referred(cast):
    # A referral naming them at another centre (made before their account moved, say) does
    # not open that centre's family to them.
    elsewhere = FamilyFactory(centre=cast.other_centre)
    ReferralFactory(family=elsewhere, referrer=cast.referrer, status=ACCEPTED)
    assert not access.referred_families_for(membership_of(cast.referrer)).exists()
    with pytest.raises(Http404):
        access.get_referred_family_for(membership_of(cast.referrer), elsewhere.pk)


def test_requests_are_their_centres_coordinators_and_the_register_the_chairs_too(cast):
    ours = DisclosureRequestFactory(family=FamilyFactory(centre=cast.centre))
    DisclosureRequestFactory(family=FamilyFactory(centre=cast.other_centre))
    for role in ROLES:
        user = getattr(cast, role)
        assert list(access.requests_for(membership_of(user))) == (
            [ours] if role == "coordinator" else []
        )
        readers = {"coordinator", "chair"}
        assert list(access.register_for(membership_of(user))) == ([ours] if role in readers else [])


def test_the_chair_opens_only_their_centres_break_glass_releases(cast):
    family = FamilyFactory(centre=cast.centre)
    released = break_glass(family)
    ordinary = DisclosureRequestFactory(family=family, decided=True)
    theirs = break_glass(FamilyFactory(centre=cast.other_centre))
    assert access.get_break_glass_for_chair(membership_of(cast.chair), released.pk) == released
    for pk in [ordinary.pk, theirs.pk]:
        with pytest.raises(Http404):
            access.get_break_glass_for_chair(membership_of(cast.chair), pk)
    for role in ["coordinator", "volunteer", "referrer", "operator"]:
        with pytest.raises(Http404):
            access.get_break_glass_for_chair(membership_of(getattr(cast, role)), released.pk)


@pytest.mark.parametrize(
    ("scoped", "readers"),
    [
        (legal_access.summonses_for, {"coordinator", "chair"}),
        (legal_access.summons_families_for, {"coordinator", "chair"}),
        (legal_access.police_visits_for, {"coordinator", "chair"}),
        (legal_access.agreements_for, {"coordinator"}),
        (legal_access.sars_for, {"coordinator"}),
    ],
)
def test_each_legal_record_is_read_by_its_own_centres_roles_only(cast, scoped, readers):
    family = FamilyFactory(centre=cast.centre)
    theirs = FamilyFactory(centre=cast.other_centre)
    made = {
        legal_access.summonses_for: lambda f: WitnessSummonsFactory(centre=f.centre, family=f),
        legal_access.summons_families_for: lambda f: f,
        legal_access.police_visits_for: lambda f: PoliceVisitFactory(centre=f.centre, family=f),
        legal_access.agreements_for: lambda f: AssessmentAgreementFactory(family=f),
        legal_access.sars_for: lambda f: SubjectAccessRequestFactory(adult=AdultFactory(family=f)),
    }[scoped]
    ours, _ = made(family), made(theirs)
    for role in ROLES:
        assert list(scoped(getattr(cast, role))) == ([ours] if role in readers else []), role


# --- one query for a record and what its page shows -----------------------------------------


def test_a_request_opens_with_everything_its_page_shows_in_one_query(cast):
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family)
    request = DisclosureRequestFactory(family=family, subject_adult=adult, decided=True)

    coordinator = membership_of(cast.coordinator)

    def read():
        found = access.get_request_for(coordinator, request.pk)
        assert found.centre == cast.centre
        assert found.family.data_key.pk and found.subject_adult == adult
        assert found.subject_child is None and found.consent_grant is None
        assert found.decided_by == found.recorded_by == cast.coordinator
        assert found.chair_acknowledged_by is None

    assert queries(read) == 1
    with pytest.raises(Http404):
        access.get_request_for(membership_of(cast.other_coordinator), request.pk)


def test_an_acknowledged_release_about_a_child_with_a_consent_opens_in_one_query_too(cast):
    from tests.factories import ChildFactory, ConsentGrantFactory

    family = FamilyFactory(centre=cast.centre)
    DisclosureRequestFactory(family=family)  # another request of the centre, opened first
    request = break_glass(family, acknowledged_by=cast.chair)
    request.subject_child = ChildFactory(family=family)
    request.consent_grant = ConsentGrantFactory(adult=AdultFactory(family=family))
    request.save()

    coordinator = membership_of(cast.coordinator)

    def read():
        found = access.get_request_for(coordinator, request.pk)
        assert found == request
        assert found.subject_child.pk == request.subject_child.pk
        assert found.consent_grant.pk == request.consent_grant.pk
        assert found.chair_acknowledged_by == cast.chair

    assert queries(read) == 1


def test_a_summons_a_police_visit_and_an_agreement_open_in_one_query_each(cast):
    family = FamilyFactory(centre=cast.centre)
    summons = WitnessSummonsFactory(
        centre=cast.centre, family=family, closed_by=cast.coordinator, closed_at=timezone.now(),
        outcome="set_aside",
    )  # fmt: skip
    visit = PoliceVisitFactory(centre=cast.centre, family=family)
    agreement = AssessmentAgreementFactory(family=family)

    chair = membership_of(cast.chair)

    def read_summons():
        found = legal_access.get_summons_for(chair, summons.pk)
        assert found.centre == cast.centre and found.family.data_key.pk
        assert found.data_key is None and found.volunteer is None
        assert found.recorded_by == found.closed_by == cast.coordinator

    def read_visit():
        found = legal_access.get_police_visit_for(chair, visit.pk)
        assert found.family.data_key.pk and found.data_key is None
        assert found.recorded_by == cast.coordinator

    coordinator = membership_of(cast.coordinator)

    def read_agreement():
        found = legal_access.get_agreement_for(coordinator, agreement.pk)
        assert found.family.data_key.pk

    assert [queries(read) for read in [read_summons, read_visit, read_agreement]] == [1, 1, 1]
    for get, pk in [
        (legal_access.get_summons_for, summons.pk),
        (legal_access.get_police_visit_for, visit.pk),
        (legal_access.get_agreement_for, agreement.pk),
    ]:
        with pytest.raises(Http404):
            get(cast.other_coordinator, pk)


def test_each_legal_record_opens_by_its_own_id_among_several_of_the_centre(cast):
    family = FamilyFactory(centre=cast.centre)

    def sar():
        return SubjectAccessRequestFactory(adult=AdultFactory(family=family))

    for get, make in [
        (legal_access.get_summons_for, lambda: WitnessSummonsFactory(centre=cast.centre)),
        (legal_access.get_police_visit_for, lambda: PoliceVisitFactory(centre=cast.centre)),
        (legal_access.get_agreement_for, lambda: AssessmentAgreementFactory(family=family)),
        (legal_access.get_sar_for, sar),
    ]:  # fmt: skip
        first, second = make(), make()
        assert get(cast.coordinator, first.pk) == first
        assert get(cast.coordinator, second.pk) == second


def test_a_police_visit_about_no_family_opens_with_its_own_key_in_one_query(cast):
    visit = PoliceVisitFactory(centre=cast.centre)

    chair = membership_of(cast.chair)

    def read():
        found = legal_access.get_police_visit_for(chair, visit.pk)
        assert found.family is None and found.data_key.pk == visit.data_key_id

    assert queries(read) == 1


def test_a_subject_access_request_released_through_the_register_opens_in_one_query(cast):
    family = FamilyFactory(centre=cast.centre)
    release = DisclosureRequestFactory(family=family, decided=True)
    sar = SubjectAccessRequestFactory(adult=AdultFactory(family=family), disclosure=release)

    coordinator = membership_of(cast.coordinator)

    def read():
        found = legal_access.get_sar_for(coordinator, sar.pk)
        assert found.disclosure.pk == release.pk

    assert queries(read) == 1


def test_a_volunteers_summons_opens_with_the_volunteer_in_one_query(cast):
    from tests.factories import VolunteerFactory

    volunteer = VolunteerFactory(centre=cast.centre)
    summons = WitnessSummonsFactory(centre=cast.centre, served="volunteer", volunteer=volunteer)

    coordinator = membership_of(cast.coordinator)

    def read():
        found = legal_access.get_summons_for(coordinator, summons.pk)
        assert found.volunteer.data_key.pk and found.data_key.pk and found.family is None

    assert queries(read) == 1


def test_a_subject_access_request_and_its_item_reviews_open_in_one_query_each(cast):
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family)
    sar = SubjectAccessRequestFactory(adult=adult)
    item = SarItemReviewFactory(request=sar)
    SarItemReviewFactory(request=SubjectAccessRequestFactory(adult=adult))

    coordinator = membership_of(cast.coordinator)

    def read_sar():
        found = legal_access.get_sar_for(coordinator, sar.pk)
        assert (found.centre, found.adult) == (cast.centre, adult)
        assert found.family.data_key.pk and found.volunteer is None
        assert found.disclosure is None

    def read_item():
        found = legal_access.get_review_for(coordinator, sar.pk, item.pk)
        assert found == item and found.request.family.data_key.pk

    assert queries(read_sar) == 1
    assert queries(read_item) == 2  # the request, then the item
    other_item = sar.pk + 1000
    with pytest.raises(Http404):
        legal_access.get_review_for(membership_of(cast.coordinator), sar.pk, other_item)
    with pytest.raises(Http404):
        legal_access.get_sar_for(membership_of(cast.other_coordinator), sar.pk)


def test_an_item_review_opens_only_under_its_own_request(cast):
    adult = AdultFactory(family=FamilyFactory(centre=cast.centre))
    sar, other = SubjectAccessRequestFactory(adult=adult), SubjectAccessRequestFactory(adult=adult)
    item = SarItemReviewFactory(request=other)
    with pytest.raises(Http404):
        legal_access.get_review_for(membership_of(cast.coordinator), sar.pk, item.pk)


def test_a_volunteers_subject_access_request_opens_with_the_volunteer_in_one_query(cast):
    from tests.factories import VolunteerFactory

    volunteer = VolunteerFactory(centre=cast.centre)
    sar = SubjectAccessRequestFactory(adult=None, volunteer=volunteer)

    coordinator = membership_of(cast.coordinator)

    def read():
        found = legal_access.get_sar_for(coordinator, sar.pk)
        assert found.volunteer.data_key.pk and found.family is None

    assert queries(read) == 1


# --- the break-glass alerts -------------------------------------------------------------------


def test_break_glass_alerts_are_a_centres_unacknowledged_releases_oldest_first(cast):
    family = FamilyFactory(centre=cast.centre)
    now = timezone.now()
    later = break_glass(family, decided_at=now)
    tie_a = break_glass(family, decided_at=now - datetime.timedelta(hours=1))
    tie_b = break_glass(family, decided_at=now - datetime.timedelta(hours=1))
    earliest = break_glass(family, decided_at=now - datetime.timedelta(days=1))
    break_glass(family, acknowledged_by=cast.chair)
    DisclosureRequestFactory(family=family, decided=True)
    break_glass(FamilyFactory(centre=cast.other_centre))
    assert list(access.break_glass_alerts(cast.centre.pk)) == [earliest, tie_a, tie_b, later]


def test_break_glass_alerts_of_the_same_moment_keep_one_order_on_every_database(cast):
    # SQLite returns ties in the order they were written whatever the query says, so the test
    # above cannot tell; PostgreSQL gives ties no order, so the query itself must end on the id.
    assert access.break_glass_alerts(cast.centre.pk).query.order_by == ("decided_at", "pk")


def test_break_glass_alerts_carry_no_personal_text_and_read_in_one_query(cast):
    break_glass(FamilyFactory(centre=cast.centre))
    break_glass(FamilyFactory(centre=cast.centre))

    def read():
        alerts = list(access.break_glass_alerts(cast.centre.pk))
        assert [a.family.reference and a.decided_by.pk for a in alerts]
        for alert in alerts:
            assert alert.get_deferred_fields() == {
                "requester_name", "detail", "released", "refusal_text", "break_glass_reason"
            }  # fmt: skip

    assert queries(read) == 1
