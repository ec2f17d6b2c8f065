"""Names and emails of volunteers' and referrers' accounts are erased and replaced at
destruction, everywhere: the account row, its history rows, the admin log, its sessions and
sign-in attempts. A referrer's account unused for the family period goes the same way."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection

from cccc.models import User
from retention.models import DestructionRecord
from retention.services import retention_run
from tests.factories import UserFactory
from tests.retention.conftest import TODAY, at_noon, resigned_volunteer, years_ago

pytestmark = pytest.mark.django_db


def _database_text() -> str:
    """Every value of every table, as text (a pg_dump's data, near enough)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values += [str(v) for v in row]
    return "\n".join(values).lower()


def _signed_in(user: User) -> str:
    store = SessionStore()
    store.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "x"})
    store.create()
    return store.session_key


def test_a_destroyed_volunteers_name_and_email_are_nowhere_in_the_database(cast):
    volunteer = resigned_volunteer(cast.centre, years_ago(3, days=1))
    account = volunteer.user
    account.full_name = "Philippa Qzandersen"  # corrected by the operator, before admin logs
    account.save()  # ... were nameless: the entry below is what the old admin wrote
    LogEntry.objects.create(
        user_id=cast.operator.pk,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(account.pk),
        object_repr="Philippa Qzandersen",
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Full name"]}}]',
    )
    session = _signed_in(account)
    email = account.email
    assert "qzandersen" in _database_text() and email.lower() in _database_text()

    retention_run(today=TODAY)
    text = _database_text()
    assert "qzandersen" not in text and email.lower() not in text
    assert not Session.objects.filter(pk=session).exists()
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert LogEntry.objects.get().object_repr == f"user #{account.pk}"


def test_a_referrer_account_unused_for_the_family_period_is_erased(cast):
    old = UserFactory(role="referrer", centre=cast.centre, full_name="Rupert Qzolicitor",
                      agency="Qzolicitor & Co")  # fmt: skip
    User.objects.filter(pk=old.pk).update(
        last_login=at_noon(years_ago(3, days=1)), date_joined=at_noon(years_ago(5))
    )
    recent = UserFactory(role="referrer", centre=cast.centre)
    User.objects.filter(pk=recent.pk).update(last_login=at_noon(years_ago(2)))
    never_used = UserFactory(role="referrer", centre=cast.centre)
    User.objects.filter(pk=never_used.pk).update(date_joined=at_noon(years_ago(4)))
    email = old.email

    report = retention_run(today=TODAY)
    assert sorted(item.reference for item in report.destroyed) == sorted(
        [f"ACC-{old.pk}", f"ACC-{never_used.pk}"]
    )
    text = _database_text()
    assert "qzolicitor" not in text and email.lower() not in text
    old.refresh_from_db()
    assert old.full_name == f"Former referrer ACC-{old.pk}" and not old.is_active
    entry = DestructionRecord.objects.get(record_id=old.pk)
    assert entry.record_type == "referrer_account"
    assert entry.rule == "CHE-10 / CHE-DP5: 3 years after last sign-in"
    assert User.objects.get(pk=recent.pk).is_active
    # a second run finds nothing more to erase
    assert retention_run(today=TODAY + datetime.timedelta(days=1)).destroyed == []
