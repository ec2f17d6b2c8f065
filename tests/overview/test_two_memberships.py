"""The dashboard, the session pages, the committee page and the audit trail for a person
with memberships at two centres (issue 19): working as centre B, every count and list is
B's alone (the same page as for someone only at B), and A's sessions are a 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role
from tests.factories import MembershipFactory
from tests.two_memberships import main_of, seed, work_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast):
    """cast.coordinator coordinates at A and at B; cast.volunteer volunteers at A and
    coordinates at B; cast.chair chairs A and B."""
    MembershipFactory(user=cast.coordinator, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.volunteer, centre=cast.other_centre, role=Role.COORDINATOR)
    MembershipFactory(user=cast.chair, centre=cast.other_centre, role=Role.CHAIR)
    return seed(cast.centre), seed(cast.other_centre)


def _same_as_only_b(client, person, alone, centre, url) -> str:
    """The page as `person` working as `centre`, checked to be the page `alone` (someone
    only at that centre) gets."""
    as_b = main_of(work_as(client, person, centre).get(url))
    client.logout()
    only_b = main_of(work_as(client, alone, centre).get(url))
    client.logout()
    assert as_b == only_b, url
    return as_b


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_dashboard_counts_only_b(cast, two, client, who):
    a, b = two
    day = timezone.localdate().isoformat()
    for url in [
        reverse("dashboard"),
        reverse("day_view"),
        reverse("week_view"),
        reverse("day_sheet", args=[day]),
    ]:
        page = _same_as_only_b(
            client, getattr(cast, who), cast.other_coordinator, cast.other_centre, url
        )
        assert a.family.reference not in page, url
    page = main_of(work_as(client, cast.coordinator, cast.other_centre).get(reverse("dashboard")))
    assert b.family.reference in page


def test_working_as_b_the_chair_of_both_sees_bs_committee_page(cast, two, client):
    _same_as_only_b(client, cast.chair, cast.other_chair, cast.other_centre, reverse("committee"))


@pytest.mark.parametrize("who", ["coordinator", "chair"])
def test_working_as_b_the_audit_trail_is_bs_alone(cast, two, client, who):
    # Not compared with a page of someone only at B: viewing the trail is itself an entry,
    # and moves the trail's intact checkpoint, so no two views are alike.
    a, _b = two
    page = main_of(
        work_as(client, getattr(cast, who), cast.other_centre).get(reverse("audit_trail"))
    )
    assert a.family.reference not in page and cast.centre.name not in page
    assert "Audit trail" in page


@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_working_as_b_the_sessions_of_a_are_not_found(cast, two, client, who):
    a, b = two
    work_as(client, getattr(cast, who), cast.other_centre)
    assert client.get(reverse("session_detail", args=[a.session.pk])).status_code == 404
    assert client.post(reverse("session_note_add", args=[a.session.pk]), {}).status_code == 404
    assert client.get(reverse("session_detail", args=[b.session.pk])).status_code == 200


def test_working_as_a_volunteer_the_coordinator_of_b_reaches_no_dashboard(cast, two, client):
    a, _b = two
    work_as(client, cast.volunteer, cast.centre)
    for url in [reverse("dashboard"), reverse("day_view"), reverse("week_view")]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("session_detail", args=[a.session.pk])).status_code == 404
