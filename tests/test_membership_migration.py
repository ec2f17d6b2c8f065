"""The migration to memberships (cccc 0021) keeps every existing account working: each
account's centre and role become its one membership, a waiting account's membership waits,
an operator's has no centre, and the accounts' history of role and centre becomes the
memberships' history (the quarterly staff counts read it)."""

import datetime

import pytest
from django.utils import timezone

from tests.migrating import migrate, migrate_to_latest

BEFORE = [("cccc", "0021_audit_checkpoint"), ("volunteers", "0005_calendar_feed_and_rota_mail")]
AFTER = [("cccc", "0022_memberships"), ("volunteers", "0006_volunteer_per_membership")]


@pytest.mark.django_db(transaction=True)
def test_every_account_becomes_one_membership_and_keeps_its_history():
    old = migrate(BEFORE)
    try:
        Centre, User = old.get_model("cccc", "Centre"), old.get_model("cccc", "User")
        HistoricalUser = old.get_model("cccc", "HistoricalUser")
        centre = Centre.objects.create(name="Aaa", slug="aaa", code="AAA")
        coordinator = User.objects.create(
            email="c@aaa.example", role="coordinator", centre=centre, password="x"
        )
        waiting = User.objects.create(
            email="w@aaa.example", role="coordinator", centre=centre, password="x",
            is_active=False, awaiting_approval=True, invited_by=coordinator,
        )  # fmt: skip
        operator = User.objects.create(
            email="o@example.org", role="operator", centre=None, is_staff=True, password="x"
        )
        was_chair = timezone.now() - datetime.timedelta(days=200)
        HistoricalUser.objects.create(
            id=coordinator.pk, email=coordinator.email, full_name="", role="chair",
            centre_id=centre.pk, is_active=True, awaiting_approval=False, is_staff=False,
            is_superuser=False, date_joined=was_chair, history_date=was_chair,
            history_type="+", agency="",
        )  # fmt: skip
        new = migrate(AFTER)
        Membership = new.get_model("cccc", "Membership")
        History = new.get_model("cccc", "HistoricalMembership")
        NewUser = new.get_model("cccc", "User")

        mine = Membership.objects.get(user_id=coordinator.pk)
        assert (mine.centre_id, mine.role, mine.is_active, mine.awaiting_approval) == (
            centre.pk, "coordinator", True, False
        )  # fmt: skip
        held = Membership.objects.get(user_id=waiting.pk)
        assert (held.role, held.is_active, held.awaiting_approval) == ("coordinator", False, True)
        assert held.invited_by_id == coordinator.pk
        # The person is active; it is their membership that waits.
        assert NewUser.objects.get(pk=waiting.pk).is_active
        boss = Membership.objects.get(user_id=operator.pk)
        assert (boss.centre_id, boss.role) == (None, "operator")
        assert Membership.objects.count() == 3
        past = History.objects.filter(id=mine.pk).order_by("history_date")
        assert [row.role for row in past][0] == "chair"
        assert past.first().history_date == was_chair
    finally:
        migrate_to_latest()


@pytest.mark.django_db
def test_an_existing_account_signs_in_and_works_in_its_membership(cast, client):
    from tests.conftest import sign_in

    sign_in(client, cast.coordinator)
    response = client.get("/families/")
    assert response.status_code == 200
    assert response.wsgi_request.membership.centre_id == cast.centre.pk
