"""Every release path goes through policy.decide(), writes one audit entry per decision in the
same transaction, and keeps the audit chain verifiable.

The first test swaps the policy table (data, not code) for one that refuses everything: each
path must then release nothing, which it can only do if it asks the table."""

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from cccc.audit import verify_chain
from cccc.models import AccessLog
from disclosures import (
    attendance_services,
    break_glass_services,
    consent_services,
    policy,
    request_services,
)
from disclosures.models import (
    CategoryChoice,
    DisclosureRequest,
    GroundChoice,
    RequesterType,
)
from tests.disclosures.conftest import days_ago
from tests.factories import ConsentGrantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refuse_everything(monkeypatch):
    table = tuple(
        dataclasses.replace(row, permitted=False, exceptions=()) for row in policy.POLICY_TABLE
    )
    monkeypatch.setattr(policy, "POLICY_TABLE", table)


def test_each_release_path_releases_nothing_when_the_table_refuses(
    cast, family, mum, referral, sessions, refuse_everything
):
    with pytest.raises(request_services.Refused):
        attendance_services.attendance_answer(
            referrer=cast.referrer, family=family, date_from=days_ago(60), date_to=days_ago(0)
        )
    grant = ConsentGrantFactory(adult=mum, recipient_name="Bram", phone=True)
    req = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="former_partner",
        requester_name="Bram", received_via="phone", category="contact_details",
        contact_items=["phone"], subject_adult=mum,
    )  # fmt: skip
    with pytest.raises(request_services.Refused):
        request_services.request_decide(
            request=req, by=cast.coordinator, permitted=True, consent_grant=grant,
            released="Phone",
        )  # fmt: skip
    with pytest.raises(request_services.Refused):
        break_glass_services.break_glass_release(
            family=family, by=cast.coordinator, exception="child_at_risk", recipient="police",
            reason="Reason", released="Dates",
        )  # fmt: skip
    assert list(DisclosureRequest.objects.all()) == [req]
    assert req.is_open
    assert not AccessLog.objects.filter(action__in=["disclosure", "break_glass"]).exists()


def test_the_same_paths_release_with_the_real_table(cast, family, mum, referral, sessions):
    answer = attendance_services.attendance_answer(
        referrer=cast.referrer, family=family, date_from=days_ago(60), date_to=days_ago(0)
    )
    assert answer.rows
    grant = ConsentGrantFactory(adult=mum, recipient_name="Bram", phone=True)
    req = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="former_partner",
        requester_name="Bram", received_via="phone", category="contact_details",
        contact_items=["phone"], subject_adult=mum,
    )  # fmt: skip
    assert request_services.request_decide(
        request=req, by=cast.coordinator, permitted=True, consent_grant=grant, released="Phone"
    ).permitted
    assert break_glass_services.break_glass_release(
        family=family, by=cast.coordinator, exception="child_at_risk", recipient="police",
        reason="Reason", released="Dates",
    ).permitted  # fmt: skip


def test_the_audit_chain_verifies_after_a_run_of_decisions(cast, family, mum, referral, sessions):
    grant = ConsentGrantFactory(adult=mum, recipient_name="Bram", phone=True)
    for _ in range(3):
        attendance_services.attendance_answer(
            referrer=cast.referrer, family=family, date_from=days_ago(60), date_to=days_ago(0)
        )
        req = request_services.request_receive(
            family=family, by=cast.coordinator, requester_type="former_partner",
            requester_name="Bram", received_via="phone", category="contact_details",
            contact_items=["phone"], subject_adult=mum,
        )  # fmt: skip
        request_services.request_decide(
            request=req, by=cast.coordinator, permitted=True, consent_grant=grant,
            released="Phone",
        )  # fmt: skip
        with pytest.raises(ValidationError):  # a refused attempt leaves no entry
            break_glass_services.break_glass_release(
                family=family, by=cast.coordinator, exception="child_at_risk",
                recipient="agency", reason="Reason", released="Dates",
            )  # fmt: skip
        glass = break_glass_services.break_glass_release(
            family=family, by=cast.coordinator, exception="violence_risk", recipient="police",
            reason="Reason", released="Dates",
        )  # fmt: skip
        break_glass_services.break_glass_acknowledge(request=glass, by=cast.chair)
    consent_services.consent_grant_revoke(grant=grant, by=cast.coordinator)
    decided = DisclosureRequest.objects.decided().count()
    assert decided == 9
    # one entry per decision, one per acknowledgement, one for the revocation
    assert AccessLog.objects.count() == decided + 3 + 1
    report = verify_chain()
    assert (report.ok, report.checked) == (True, 13)


def test_the_choices_are_the_policys_own_words():
    assert set(RequesterType.values) == {r.value for r in policy.Requester}
    assert set(CategoryChoice.values) == {c.value for c in policy.Category}
    assert set(GroundChoice.values) == {g.value for g in policy.Ground}
