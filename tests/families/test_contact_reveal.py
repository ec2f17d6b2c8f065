"""An adult's address, phone and email appear only when the coordinator deliberately reveals
them on the family page; each reveal is logged, and is not use of the record (SPEC §8)."""

import pytest
from django.urls import reverse

from cccc.models import AccessLog
from families.models import Adult
from tests.factories import AdultFactory, FamilyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(cast):
    return FamilyFactory(centre=cast.centre)


@pytest.fixture
def mum(family):
    return AdultFactory(
        family=family,
        address="14 Larkspur Close\nNewtown NT1 4LC",
        phone="07700 900123",
        email="rowena.quill@example.net",
    )


@pytest.fixture
def dad(family):
    return AdultFactory(
        family=family,
        role=Adult.Role.NON_RESIDENT_PARENT,
        address="9 Gorse Row, Oldtown OT2 9GR",
        phone="07700 900456",
        email="bram.stone@example.net",
    )


def reveal(adult):
    return reverse("contact_reveal", args=[adult.family_id, adult.pk])


def test_without_a_reveal_the_page_shows_no_address_phone_or_email(cast, login, family, mum, dad):
    html = login(cast.coordinator).get(reverse("family_detail", args=[family.pk])).content.decode()
    for value in ["Larkspur", mum.phone, mum.email, "Gorse Row", dad.phone, dad.email]:
        assert value not in html
    assert "Hidden" in html


def test_a_reveal_shows_that_adults_details_and_keeps_the_others_hidden(
    cast, login, family, mum, dad
):
    response = login(cast.coordinator).post(reveal(mum), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "14 Larkspur Close<br>Newtown NT1 4LC" in html
    assert "07700 900123" in html and "rowena.quill@example.net" in html
    for value in ["Gorse Row", dad.phone, dad.email]:
        assert value not in html
    assert html.count("Reveal contact details") == 1  # the button for the other adult only


def test_a_reveal_ends_on_the_family_page_by_redirect_with_nothing_in_the_url(
    cast, login, family, mum
):
    response = login(cast.coordinator).post(reveal(mum))
    assert response.status_code == 302
    assert response.url == reverse("family_detail", args=[family.pk])
    for value in ["Larkspur", "Newtown", mum.phone, mum.phone.replace(" ", ""), mum.email]:
        assert value not in response.url and value not in response.content.decode()


def test_a_refresh_after_a_reveal_hides_the_details_and_logs_nothing_more(cast, login, family, mum):
    client = login(cast.coordinator)
    shown = client.post(reveal(mum), follow=True).content.decode()
    assert "07700 900123" in shown and "Refreshing this page hides them again" in shown
    refreshed = client.get(reverse("family_detail", args=[family.pk])).content.decode()
    for value in ["Larkspur", mum.phone, mum.email]:
        assert value not in refreshed
    assert "Reveal contact details" in refreshed
    assert AccessLog.objects.filter(action=AccessLog.Action.REVEAL_CONTACT).count() == 1


def test_the_session_holds_only_ids_for_the_page_after_a_reveal(cast, login, family, mum):
    from families.reveal_views import REVEALED_KEY

    client = login(cast.coordinator)
    client.post(reveal(mum))
    flag = client.session[REVEALED_KEY]
    assert flag["family"] == family.pk and flag["adult"] == mum.pk
    assert set(flag) == {"family", "adult", "at"}
    assert all(isinstance(v, (int, float)) for v in flag.values())


def test_a_reveal_not_shown_at_once_is_not_shown_later(cast, login, family, mum):
    from families.reveal_views import REVEAL_SHOWN_SECONDS, REVEALED_KEY

    client = login(cast.coordinator)
    client.post(reveal(mum))
    session = client.session
    session[REVEALED_KEY] = {**session[REVEALED_KEY], "at": 0.0}
    session.save()
    html = client.get(reverse("family_detail", args=[family.pk])).content.decode()
    assert REVEAL_SHOWN_SECONDS <= 120
    assert "07700 900123" not in html


def test_a_reveal_is_shown_on_its_own_familys_page_only(cast, login, family, mum):
    other = AdultFactory(family=FamilyFactory(centre=cast.centre), phone="07700 900777")
    client = login(cast.coordinator)
    client.post(reveal(mum))
    html = client.get(reverse("family_detail", args=[other.family.pk])).content.decode()
    assert "07700 900123" not in html and "07700 900777" not in html
    # The page after the reveal has gone by: its own family's page shows nothing either.
    html = client.get(reverse("family_detail", args=[family.pk])).content.decode()
    assert "07700 900123" not in html


def test_a_reveal_writes_exactly_one_access_log_row(cast, login, family, mum):
    login(cast.coordinator).post(reveal(mum))
    [entry] = AccessLog.objects.all()
    assert entry.user == cast.coordinator
    assert entry.record_type == "families.Adult"
    assert entry.record_id == mum.pk
    assert entry.action == AccessLog.Action.REVEAL_CONTACT
    assert "Larkspur" not in entry.detail and mum.phone not in entry.detail


def test_a_reveal_is_not_use_of_the_record(cast, login, family, mum):
    before = family.last_activity
    login(cast.coordinator).post(reveal(mum))
    family.refresh_from_db()
    assert family.last_activity == before


def test_a_reveal_refuses_get_and_logs_nothing(cast, login, family, mum):
    response = login(cast.coordinator).get(reveal(mum))
    assert response.status_code == 405
    assert "Larkspur" not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_an_adult_of_another_family_cannot_be_revealed_through_this_one(cast, login, family):
    stranger = AdultFactory(family=FamilyFactory(centre=cast.centre), phone="07700 900999")
    url = reverse("contact_reveal", args=[family.pk, stranger.pk])
    response = login(cast.coordinator).post(url)
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


# --- outsiders ----------------------------------------------------------------------------------


def test_another_centres_coordinator_gets_a_404_and_nothing_is_logged(cast, login, mum):
    response = login(cast.other_coordinator).post(reveal(mum))
    assert response.status_code == 404
    assert "Larkspur" not in response.content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_only_the_coordinator_can_reveal(cast, login, mum, role):
    assert login(getattr(cast, role)).post(reveal(mum)).status_code == 404
    assert not AccessLog.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, mum):
    response = client.post(reveal(mum))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not AccessLog.objects.exists()
