"""Break-glass (CHI-3, CHE-4a/b, CHE-6a/b): a coordinator invokes an exception with a written
reason, to Children's Services or the police only; the chair is told at once by an email
without personal data, and the release stays highlighted until the chair acknowledges it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import AccessLog, Role
from disclosures import break_glass_services, policy, request_services
from disclosures.models import DisclosureRequest
from tests.disclosures.conftest import SECRETS
from tests.factories import FamilyFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Rowena Quillfeather said the father threatened to take Pip abroad"


def invoke(cast, family, **fields):
    values = {
        "family": family, "by": cast.coordinator, "exception": "child_at_risk",
        "recipient": "police", "reason": REASON, "released": "The family's session dates",
        "recipient_name": "PC Ada Lovegood",
    } | fields  # fmt: skip
    return break_glass_services.break_glass_release(**values)


def form_data(**fields):
    return {
        "exception": "child_at_risk", "recipient": "childrens_services",
        "recipient_name": "Sam Social", "recipient_agency": "West Sussex CS", "via": "phone",
        "category": "family_info", "reason": REASON, "released": "Session dates and times",
        "subject_told": "no",
    } | fields  # fmt: skip


# --- invoking -----------------------------------------------------------------------------------


def test_a_release_is_recorded_with_its_break_glass_audit_entry(cast, family):
    req = invoke(cast, family)
    req.refresh_from_db()
    assert (req.permitted, req.ground, req.clauses, req.exception) == (
        True, "child_at_risk", "CHI-3", "child_at_risk",
    )  # fmt: skip
    assert (req.requester_type, req.break_glass_reason) == ("police", REASON)
    assert req.chair_notified_at is not None and req.chair_acknowledged_at is None
    entry = AccessLog.objects.get()
    assert (entry.action, entry.record_id) == (AccessLog.Action.BREAK_GLASS, req.pk)
    assert entry.detail == (
        "category=family_info ground=child_at_risk clauses=CHI-3 outcome=permitted recipient=police"
    )


def test_chesterfield_cites_its_own_clauses(cast):
    family = FamilyFactory(centre=cast.other_centre)
    req = invoke(cast, family, by=cast.other_coordinator, exception="violence_risk")
    assert (req.ground, req.clauses) == ("violence_risk", "CHE-4b,CHE-6b")


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_break_glass_without_a_reason_is_rejected(cast, login, family, reason):
    with pytest.raises(ValidationError, match="Write why the exception applies"):
        invoke(cast, family, reason=reason)
    response = login(cast.coordinator).post(
        reverse("break_glass", args=[family.pk]), form_data(reason=reason)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write why the exception applies" in html
    assert "Session dates and times" in html  # what was typed is kept
    assert not DisclosureRequest.objects.exists()
    assert not AccessLog.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("recipient", ["agency", "former_partner", "court", "referrer_of_record"])
def test_break_glass_to_anyone_but_childrens_services_or_police_is_refused(
    cast, login, family, recipient
):
    with pytest.raises(request_services.Refused) as refused:
        invoke(cast, family, recipient=recipient)
    assert policy.GROUND_TEXT[policy.Ground.CONFIDENTIAL] in refused.value.messages[0]
    response = login(cast.coordinator).post(
        reverse("break_glass", args=[family.pk]), form_data(recipient=recipient)
    )
    assert response.status_code == 200
    assert not DisclosureRequest.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_court_report_is_never_released_under_an_exception(cast, family):
    with pytest.raises(request_services.Refused):
        invoke(cast, family, category="court_report")
    assert not DisclosureRequest.objects.exists()


def test_the_form_offers_only_what_the_policy_table_allows(cast, login, family):
    html = login(cast.coordinator).get(reverse("break_glass", args=[family.pk])).content.decode()
    assert 'value="childrens_services"' in html and 'value="police"' in html
    assert 'value="agency"' not in html
    assert 'value="court_report"' not in html and 'value="family_info"' in html


def test_the_coordinator_invokes_an_exception_from_the_page(
    cast, login, family, mum, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.coordinator).post(
            reverse("break_glass", args=[family.pk]), form_data(person=f"adult-{mum.pk}")
        )
    req = DisclosureRequest.objects.get()
    assert response.url == reverse("disclosure_request_detail", args=[req.pk])
    assert (req.subject_adult, req.requester_type, req.requester_agency) == (
        mum, "childrens_services", "West Sussex CS",
    )  # fmt: skip
    assert len(mail.outbox) == 1


def test_an_exception_can_decide_an_open_request_from_childrens_services(
    cast, login, family, django_capture_on_commit_callbacks
):
    req = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="childrens_services",
        requester_name="Sam Social", received_via="email", category="contact_details",
        contact_items=["address"], subject_adult=family.adults.create(role="resident"),
    )  # fmt: skip
    client = login(cast.coordinator)
    response = client.post(
        reverse("disclosure_request_decide", args=[req.pk]),
        {"permitted": "yes", "exception": "violence_risk", "reason": "",
         "released": "Address", "subject_told": "no"},
    )  # fmt: skip
    assert "Write why the exception applies" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("disclosure_request_decide", args=[req.pk]),
            {"permitted": "yes", "exception": "violence_risk", "reason": "Threats made",
             "released": "Address", "subject_told": "no"},
        )  # fmt: skip
    req.refresh_from_db()
    assert (req.ground, req.exception, req.break_glass_reason) == (
        "violence_risk", "violence_risk", "Threats made",
    )  # fmt: skip
    assert AccessLog.objects.get().action == AccessLog.Action.BREAK_GLASS
    assert len(mail.outbox) == 1


# --- the chair --------------------------------------------------------------------------------


def test_the_chair_is_emailed_at_once_without_personal_data(
    cast, family, mum, django_capture_on_commit_callbacks
):
    second_chair = UserFactory(role=Role.CHAIR, centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        req = invoke(cast, family, subject_adult=mum)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([cast.chair.email, second_chair.email])
    assert cast.other_chair.email not in message.to
    assert message.body == (
        f"A confidentiality exception was used at {cast.centre.name} on "
        f"{timezone.localtime(req.decided_at):%-d %B %Y}. Sign in to acknowledge it.\n"
    )
    text = message.subject + message.body
    for secret in [*SECRETS, "Lovegood", "threatened", family.reference]:
        assert secret not in text


def test_no_mail_is_sent_when_the_release_is_refused(
    cast, family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        invoke(cast, family, recipient="agency")
    assert not mail.outbox


def test_it_stays_highlighted_until_the_chair_acknowledges_it(cast, login, family):
    req = invoke(cast, family)
    coordinator = login(cast.coordinator)
    dashboard = coordinator.get(reverse("dashboard")).content.decode()
    assert "waiting for the chair" in dashboard and f"Release #{req.pk}" in dashboard
    assert reverse("disclosure_request_detail", args=[req.pk]) in dashboard
    chair = login(cast.chair)
    committee = chair.get(reverse("committee")).content.decode()
    assert f"Release #{req.pk}" in committee
    assert reverse("break_glass_acknowledge", args=[req.pk]) in committee
    assert reverse("disclosure_register") in committee
    assert REASON not in committee  # the chair sees IDs and categories, not the case

    response = chair.post(reverse("break_glass_acknowledge", args=[req.pk]))
    assert response.url == reverse("committee")
    req.refresh_from_db()
    assert (req.chair_acknowledged_by, req.chair_acknowledged_at is not None) == (
        cast.chair, True,
    )  # fmt: skip
    ack = AccessLog.objects.latest("seq")
    assert (ack.action, ack.user, ack.detail) == (
        AccessLog.Action.BREAK_GLASS, cast.chair, "acknowledged exception=child_at_risk",
    )  # fmt: skip
    committee = chair.get(reverse("committee")).content.decode()
    assert "waiting for the chair" not in committee
    assert reverse("break_glass_acknowledge", args=[req.pk]) not in committee
    dashboard = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert "waiting for the chair" not in dashboard


def test_other_centres_do_not_see_the_highlight(cast, login, family):
    req = invoke(cast, family)
    for user, url in [(cast.other_coordinator, "dashboard"), (cast.other_chair, "committee")]:
        assert f"Release #{req.pk}" not in login(user).get(reverse(url)).content.decode()


def test_only_the_centres_chair_acknowledges(cast, login, family):
    req = invoke(cast, family)
    for user in [cast.other_chair, cast.coordinator, cast.referrer, cast.volunteer]:
        response = login(user).post(reverse("break_glass_acknowledge", args=[req.pk]))
        assert response.status_code == 404
    with pytest.raises(ValidationError):
        break_glass_services.break_glass_acknowledge(request=req, by=cast.coordinator)
    req.refresh_from_db()
    assert req.chair_acknowledged_at is None


def test_an_ordinary_decision_is_not_acknowledged(cast, login, family):
    req = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="agency", requester_name="A",
        received_via="phone", category="family_info",
    )  # fmt: skip
    request_services.request_decide(request=req, by=cast.coordinator, permitted=False)
    response = login(cast.chair).post(reverse("break_glass_acknowledge", args=[req.pk]))
    assert response.status_code == 404


def test_acknowledging_twice_is_explained(cast, login, family):
    req = invoke(cast, family)
    chair = login(cast.chair)
    chair.post(reverse("break_glass_acknowledge", args=[req.pk]))
    response = chair.post(reverse("break_glass_acknowledge", args=[req.pk]), follow=True)
    assert "acknowledged already" in response.content.decode()
    assert AccessLog.objects.filter(user=cast.chair).count() == 1
