"""The forms that create a family and change its status; and nobody but the centre's
coordinators reaches any of a family's forms. Each writes through a service, keeps what was
typed on error and explains every error."""

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Adult, Child, Concern, Family, KeepApart, RulesAcknowledgement
from tests.factories import AdultFactory, ChildFactory, ConcernFactory, KeepApartFactory
from tests.families.form_cases import ADULT, CHILD, aged, moved

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_family_and_lands_on_its_page(cast, login):
    client = login(cast.coordinator)
    assert client.get(reverse("family_create")).status_code == 200
    response = client.post(reverse("family_create"), {"status": "active"})
    family = Family.objects.get()
    assert response.url == reverse("family_detail", args=[family.pk])
    assert (family.centre, family.status) == (cast.centre, Family.Status.ACTIVE)
    assert family.reference.startswith(f"HOM-{timezone.localdate().year}-")


def test_a_made_up_status_is_refused(cast, login):
    response = login(cast.coordinator).post(reverse("family_create"), {"status": "vanished"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Family.objects.exists()


def test_a_coordinator_changes_a_familys_status(cast, login, family):
    aged(family)
    url = reverse("family_edit", args=[family.pk])
    client = login(cast.coordinator)
    assert 'value="referred" selected' in client.get(url).content.decode()
    response = client.post(url, {"status": "closed"})
    assert response.url == reverse("family_detail", args=[family.pk])
    assert moved(family)
    assert family.status == Family.Status.CLOSED


# --- outsiders ----------------------------------------------------------------------------------


@pytest.fixture
def targets(cast, family):
    """Every form of a family of the home centre: (method, url, data)."""
    adult = AdultFactory(family=family)
    other = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    child = ChildFactory(family=family)
    flag = KeepApartFactory(adult_a=adult, adult_b=other)
    concern = ConcernFactory(family=family)
    pk = family.pk
    ack = {"acknowledged_on": "2026-01-12", "no_recording": "on", "no_discussing_others": "on"}
    return [
        ("post", reverse("family_edit", args=[pk]), {"status": "closed"}),
        ("post", reverse("adult_add", args=[pk]), ADULT),
        ("post", reverse("adult_edit", args=[pk, adult.pk]), ADULT),
        ("post", reverse("child_add", args=[pk]), CHILD),
        ("post", reverse("child_edit", args=[pk, child.pk]), CHILD),
        (
            "post",
            reverse("keep_apart_add", args=[pk]),
            {"adult": adult.pk, "other_adult": other.pk},
        ),
        ("post", reverse("keep_apart_remove", args=[pk, flag.pk]), {}),
        ("post", reverse("acknowledgement_add", args=[pk, adult.pk]), ack),
        ("post", reverse("concern_add", args=[pk]), {"kind": "guidance", "text": "Help?"}),
        ("post", reverse("concern_close", args=[concern.pk]), {"outcome": "Done."}),
    ]


def snapshot():
    return (
        list(Family.objects.values_list("status", "last_activity")),
        Adult.objects.count(), Child.objects.count(), KeepApart.objects.count(),
        RulesAcknowledgement.objects.count(), Concern.objects.filter(status="open").count(),
    )  # fmt: skip


@pytest.mark.parametrize(
    "role", ["other_coordinator", "chair", "volunteer", "referrer", "operator"]
)
def test_outsiders_get_a_404_from_every_family_form_and_change_nothing(cast, login, targets, role):
    client = login(getattr(cast, role))
    before = snapshot()
    for method, url, data in targets:
        if "remove" not in url:
            assert client.get(url).status_code == 404, url
        assert getattr(client, method)(url, data).status_code == 404, url
    assert snapshot() == before


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_only_coordinators_create_families(cast, login, role):
    client = login(getattr(cast, role))
    assert client.get(reverse("family_create")).status_code == 404
    assert client.post(reverse("family_create"), {"status": "active"}).status_code == 404
    assert not Family.objects.exists()


def test_another_centres_coordinator_creates_families_only_in_their_own_centre(cast, login):
    login(cast.other_coordinator).post(reverse("family_create"), {"status": "active"})
    assert Family.objects.get().centre == cast.other_centre


def test_anonymous_visitors_are_sent_to_sign_in(client, targets):
    before = snapshot()
    for method, url, data in [*targets, ("post", reverse("family_create"), {"status": "active"})]:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login"))
    assert snapshot() == before
