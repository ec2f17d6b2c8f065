"""Consent grants (CHI-4.5, CHE-5): a parent's contact details go to another person, the
former partner included, only through that parent's live consent for that recipient and those
details. An expired or revoked consent, or one for someone or something else, permits nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, Role
from disclosures import consent_services, request_services
from disclosures.models import ConsentGrant, DisclosureRequest, Recipient
from tests.disclosures.conftest import days_ago
from tests.factories import AdultFactory, ConsentGrantFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(mum):
    """Rowena consents to Bram Stonecutter having her phone number."""
    return ConsentGrantFactory(
        adult=mum, recipient_name="Bramwell Stonecutter", address=False, phone=True
    )


def ask_for(cast, family, adult, items=("phone",), name="Bramwell Stonecutter", **fields):
    return request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="former_partner",
        requester_name=name, received_via="phone", category="contact_details",
        contact_items=list(items), subject_adult=adult, **fields,
    )  # fmt: skip


def release(cast, req, grant):
    return request_services.request_decide(
        request=req, by=cast.coordinator, permitted=True, consent_grant=grant,
        released="Her mobile number, by phone",
    )  # fmt: skip


# --- what a consent permits -------------------------------------------------------------------


def test_a_live_consent_for_that_recipient_permits_the_release(cast, family, mum, grant):
    req = release(cast, ask_for(cast, family, mum), grant)
    req.refresh_from_db()
    assert (req.permitted, req.ground, req.clauses, req.consent_grant) == (
        True, "consent", "CHI-4.5", grant,
    )  # fmt: skip
    entry = AccessLog.objects.get(action=AccessLog.Action.DISCLOSURE)
    assert entry.detail == (
        f"category=contact_details ground=consent clauses=CHI-4.5 outcome=permitted "
        f"consent=#{grant.pk}"
    )


def test_without_a_consent_the_former_partner_gets_nothing(cast, family, mum, grant):
    req = ask_for(cast, family, mum)
    with pytest.raises(request_services.Refused):
        request_services.request_decide(
            request=req, by=cast.coordinator, permitted=True, released="Her number"
        )
    req.refresh_from_db()
    assert req.is_open and req.released == ""


def test_an_expired_consent_no_longer_permits(cast, family, mum, grant):
    grant.expires_on = timezone.localdate()
    grant.save()
    req = ask_for(cast, family, mum)
    with pytest.raises(ValidationError, match="This consent is expired"):
        release(cast, req, grant)
    req.refresh_from_db()
    assert req.is_open
    assert not AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).exists()


def test_a_revoked_consent_no_longer_permits(cast, family, mum, grant):
    consent_services.consent_grant_revoke(grant=grant, by=cast.coordinator)
    req = ask_for(cast, family, mum)
    with pytest.raises(ValidationError, match="This consent is revoked"):
        release(cast, req, grant)
    assert DisclosureRequest.objects.get().is_open


def test_a_consent_for_another_recipient_does_not_permit(cast, family, mum, grant):
    req = ask_for(cast, family, mum, name="Someone Else")
    with pytest.raises(ValidationError, match="does not cover giving the phone to this"):
        release(cast, req, grant)


def test_a_consent_for_other_details_does_not_permit(cast, family, mum, grant):
    req = ask_for(cast, family, mum, items=("phone", "address"))
    with pytest.raises(ValidationError, match="does not cover giving the address"):
        release(cast, req, grant)


def test_a_consent_of_another_adult_does_not_permit(cast, family, mum, dad, grant):
    req = ask_for(cast, family, dad)
    with pytest.raises(ValidationError, match="given by the adult whose details are asked"):
        release(cast, req, grant)


def test_a_chesterfield_consent_cites_che_5(cast):
    from families.models import Adult
    from tests.factories import FamilyFactory

    family = FamilyFactory(centre=cast.other_centre)
    adult = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    grant = ConsentGrantFactory(adult=adult, recipient_name="Pat Partner", phone=True)
    req = request_services.request_receive(
        family=family, by=cast.other_coordinator, requester_type="former_partner",
        requester_name="pat  partner", received_via="phone", category="contact_details",
        contact_items=["phone"], subject_adult=adult,
    )  # fmt: skip
    request_services.request_decide(
        request=req, by=cast.other_coordinator, permitted=True, consent_grant=grant,
        released="Phone",
    )  # fmt: skip
    req.refresh_from_db()
    assert (req.ground, req.clauses) == ("consent", "CHE-5")


# --- covers() ---------------------------------------------------------------------------------


def test_covers_names_the_recipient_item_and_day(mum):
    today = timezone.localdate()
    grant = ConsentGrantFactory(
        adult=mum, recipient_name="Ann Agent", recipient_agency="Agents LLP", address=True,
        phone=False, given_on=today - datetime.timedelta(days=10),
        expires_on=today + datetime.timedelta(days=10),
    )  # fmt: skip
    ann = Recipient("  ann   AGENT ", "agents llp")
    assert grant.covers(ann, "address", today)
    assert not grant.covers(ann, "phone", today)
    assert not grant.covers(Recipient("Ann Agent", "Other LLP"), "address", today)
    assert not grant.covers(Recipient("Ann Agent"), "address", today)
    assert not grant.covers(ann, "address", today + datetime.timedelta(days=10))
    assert not grant.covers(ann, "address", today - datetime.timedelta(days=11))
    assert not grant.covers(Recipient(""), "address", today)


def test_a_consent_for_an_account_covers_that_account_only(cast, mum):
    colleague = UserFactory(role=Role.REFERRER, centre=cast.centre)
    grant = ConsentGrantFactory(adult=mum, recipient_name="X", recipient_user=cast.referrer)
    assert grant.covers(Recipient("anyone", user_id=cast.referrer.pk), "phone")
    assert not grant.covers(Recipient("X", user_id=colleague.pk), "phone")


# --- the consent page -------------------------------------------------------------------------


def consents(adult):
    return reverse("consent_list", args=[adult.family_id, adult.pk])


def test_the_family_page_links_to_each_adults_consents(cast, login, family, mum, dad):
    html = login(cast.coordinator).get(reverse("family_detail", args=[family.pk])).content
    assert consents(mum) in html.decode() and consents(dad) in html.decode()


def test_the_coordinator_records_a_consent(cast, login, family, mum):
    response = login(cast.coordinator).post(
        consents(mum),
        {
            "recipient_name": "Bramwell Stonecutter", "recipient_agency": "", "phone": "on",
            "given_on": days_ago(1).isoformat(), "how_given": "written", "expires_on": "",
        },
    )  # fmt: skip
    assert response.url == consents(mum)
    grant = ConsentGrant.objects.get()
    assert (grant.adult, grant.items, grant.recorded_by) == (mum, ["phone"], cast.coordinator)
    assert grant.recipient_name == "Bramwell Stonecutter"
    entry = AccessLog.objects.get()
    assert (entry.action, entry.record_id) == (AccessLog.Action.CONSENT, grant.pk)
    assert entry.detail == f"granted adult=#{mum.pk} items=phone"
    html = login(cast.coordinator).get(consents(mum)).content.decode()
    assert "Bramwell Stonecutter" in html and "Live" in html


def test_the_consent_form_keeps_what_was_typed_and_explains_errors(cast, login, family, mum):
    response = login(cast.coordinator).post(
        consents(mum),
        {
            "recipient_name": "Bramwell Stonecutter", "given_on": days_ago(-3).isoformat(),
            "how_given": "written", "expires_on": "not a date",
        },
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bramwell Stonecutter" in html
    assert "Enter a date like 2026-03-31." in html
    assert not ConsentGrant.objects.exists()
    response = login(cast.coordinator).post(
        consents(mum),
        {
            "recipient_name": "Bramwell Stonecutter", "given_on": days_ago(-3).isoformat(),
            "how_given": "written",
        },
    )  # fmt: skip
    html = response.content.decode()
    assert "Tick at least one of address, phone and email." in html
    assert "cannot be in the future" in html
    assert not ConsentGrant.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_consent_to_a_referrer_account_takes_their_name(cast, login, family, mum):
    login(cast.coordinator).post(
        consents(mum),
        {
            "recipient_user": cast.referrer.pk, "email": "on",
            "given_on": days_ago(0).isoformat(), "how_given": "in_person",
        },
    )  # fmt: skip
    grant = ConsentGrant.objects.get()
    assert (grant.recipient_user, grant.recipient_name) == (cast.referrer, cast.referrer.full_name)


def test_another_centres_referrer_cannot_be_the_recipient(cast, family, mum):
    grant = ConsentGrant(
        adult=mum, recipient_user=cast.other_referrer, phone=True, given_on=days_ago(0),
        how_given="phone",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        consent_services.consent_grant_record(grant=grant, by=cast.coordinator)


def test_the_coordinator_revokes_a_consent(cast, login, family, mum, grant):
    client = login(cast.coordinator)
    response = client.post(reverse("consent_revoke", args=[family.pk, mum.pk, grant.pk]))
    assert response.url == consents(mum)
    grant.refresh_from_db()
    assert (grant.revoked_on, grant.revoked_by) == (timezone.localdate(), cast.coordinator)
    assert not grant.is_live()
    entry = AccessLog.objects.get()
    assert (entry.action, entry.detail) == (AccessLog.Action.CONSENT, f"revoked adult=#{mum.pk}")
    html = client.get(consents(mum)).content.decode()
    assert "Revoked" in html
    client.post(reverse("consent_revoke", args=[family.pk, mum.pk, grant.pk]), follow=True)
    assert AccessLog.objects.count() == 1


def test_the_page_shows_live_expired_and_revoked(cast, login, family, mum):
    ConsentGrantFactory(adult=mum, recipient_name="Live Larry")
    ConsentGrantFactory(
        adult=mum, recipient_name="Expired Ernie", given_on=days_ago(40), expires_on=days_ago(1)
    )
    ConsentGrantFactory(adult=mum, recipient_name="Revoked Rita", revoked_on=days_ago(2))
    html = login(cast.coordinator).get(consents(mum)).content.decode()
    for text in ["Live Larry", "Expired Ernie", "Revoked Rita", "Live", "Expired", "Revoked"]:
        assert text in html


def test_a_consent_of_another_familys_adult_is_a_404(cast, login, family, mum, grant):
    from tests.factories import FamilyFactory

    other = AdultFactory(family=FamilyFactory(centre=cast.centre))
    client = login(cast.coordinator)
    assert client.get(reverse("consent_list", args=[family.pk, other.pk])).status_code == 404
    url = reverse("consent_revoke", args=[other.family_id, other.pk, grant.pk])
    assert client.post(url).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_on is None


def test_the_consent_page_keeps_a_fixed_number_of_queries(
    cast, login, family, mum, django_assert_max_num_queries
):
    client = login(cast.coordinator)
    ConsentGrantFactory(adult=mum)
    with django_assert_max_num_queries(40) as few:
        client.get(consents(mum))
    for _ in range(10):
        ConsentGrantFactory(adult=mum, recipient_user=cast.referrer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(consents(mum))
