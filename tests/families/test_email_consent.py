"""Consent to email (issue 18, point 2): recorded with how and when it was given, withdrawn
the same way, each an audit entry; nothing preselected; without it nothing is emailed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog
from families import mail_services, session_services
from families.models import EmailConsent, FamilyMail
from tests.factories import AdultFactory, EmailConsentFactory, FamilyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def adult(cast):
    return AdultFactory(family=FamilyFactory(centre=cast.centre), email="own@private.example")


def url(adult, name="email_consent", *extra):
    return reverse(name, args=[adult.family.pk, adult.pk, *extra])


def test_the_form_preselects_nothing(cast, login, adult):
    page = login(cast.coordinator).get(url(adult)).content.decode()
    assert '<option value="" selected>Choose...</option>' in page
    assert "checked" not in page
    assert not EmailConsent.objects.exists()


def test_the_coordinator_records_consent_with_how_and_when_and_it_is_audited(cast, login, adult):
    day = timezone.localdate() - datetime.timedelta(days=2)
    response = login(cast.coordinator).post(
        url(adult), {"given_on": day.isoformat(), "how_given": "written", "agreed": "on"}
    )
    assert response.status_code == 302
    consent = EmailConsent.objects.get(adult=adult)
    assert (consent.given_on, consent.how_given, consent.recorded_by) == (
        day, "written", cast.coordinator,
    )  # fmt: skip
    assert consent.is_live and mail_services.has_email_consent(adult)
    entry = AccessLog.objects.get(action=AccessLog.Action.CONSENT)
    assert (entry.record_type, entry.record_id) == ("families.EmailConsent", consent.pk)
    assert entry.detail == f"email given adult=#{adult.pk} how=written"


def test_bad_input_says_why_keeps_what_was_typed_and_saves_nothing(cast, login, adult):
    client = login(cast.coordinator)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page = client.post(url(adult), {"given_on": future, "how_given": "phone"}).content.decode()
    assert "cannot be in the future" in page
    assert "Tick this only once the adult has agreed" in page
    assert f'value="{future}"' in page and '<option value="phone" selected>' in page
    page = client.post(url(adult), {"given_on": "31/02/2026", "agreed": "on"}).content.decode()
    assert "Enter a date like" in page
    assert not EmailConsent.objects.exists()


def test_an_adult_without_an_email_address_cannot_consent(cast, login, adult):
    adult.email = ""
    adult.save()
    today = timezone.localdate().isoformat()
    page = (
        login(cast.coordinator)
        .post(url(adult), {"given_on": today, "how_given": "phone", "agreed": "on"})
        .content.decode()
    )
    assert "No email address is recorded for this adult" in page
    assert not EmailConsent.objects.exists()


def test_withdrawing_says_how_is_audited_and_stops_what_was_queued(
    cast, login, pair, django_capture_on_commit_callbacks
):
    consent = pair.mother.email_consents.get()
    queued = FamilyMail.objects.create(adult=pair.mother, session=pair.session, kind="reminder")
    client = login(cast.coordinator)
    page = client.post(url(pair.mother, "email_consent_withdraw", consent.pk), {})
    assert "This field is required" in page.content.decode()
    response = client.post(
        url(pair.mother, "email_consent_withdraw", consent.pk), {"how_withdrawn": "email"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.how_withdrawn == "email"
    assert consent.withdrawn_by == cast.coordinator
    entry = AccessLog.objects.filter(action=AccessLog.Action.CONSENT).latest("seq")
    assert entry.detail == f"email withdrawn adult=#{pair.mother.pk} how=email"
    assert mail_services.family_mail_send(mail_id=queued.pk) == "not_sent"
    with django_capture_on_commit_callbacks(execute=True):
        session_services.session_cancel(session=pair.session, by=cast.coordinator)
    assert [m.to for m in mail.outbox] == [[pair.father.email]]


def test_a_second_live_consent_is_refused(cast, adult):
    EmailConsentFactory(adult=adult)
    with pytest.raises(Exception, match="consented to email already"):
        from families.email_consent_services import email_consent_give

        email_consent_give(
            adult=adult, given_on=timezone.localdate(), how_given="phone", by=cast.coordinator
        )


def test_the_family_page_says_who_consented(cast, login, pair):
    pair.father.email_consents.update(withdrawn_at=timezone.now(), how_withdrawn="phone")
    page = login(cast.coordinator).get(reverse("family_detail", args=[pair.family.pk]))
    text = page.content.decode()
    assert text.count("Email: consented") == 1 and text.count("Email: no consent") == 1


OUTSIDERS = [
    "other_coordinator", "chair", "volunteer", "referrer", "operator", "other_chair",
    "other_volunteer", "other_referrer",
]  # fmt: skip


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404(cast, login, adult, who):
    consent = EmailConsentFactory(adult=adult)
    client = login(getattr(cast, who))
    today = timezone.localdate().isoformat()
    assert client.get(url(adult)).status_code == 404
    answer = client.post(url(adult), {"given_on": today, "how_given": "phone", "agreed": "on"})
    assert answer.status_code == 404
    answer = client.post(
        url(adult, "email_consent_withdraw", consent.pk), {"how_withdrawn": "phone"}
    )
    assert answer.status_code == 404
    consent.refresh_from_db()
    assert consent.is_live and EmailConsent.objects.count() == 1
