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

from cccc.models import Membership, Role, User
from retention import accounts
from retention.models import DestructionRecord
from retention.services import retention_run
from tests.factories import (
    AppointedVolunteerFactory,
    MembershipFactory,
    UserFactory,
    membership_of,
)
from tests.retention.conftest import TODAY, at_noon, resigned_volunteer, years_ago
from volunteers.models import Volunteer

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


def made_long_ago(user: User, day: datetime.date, last_login: datetime.date | None = None) -> None:
    """The account, and its memberships, made that day (and last used `last_login`)."""
    User.objects.filter(pk=user.pk).update(
        date_joined=at_noon(day), last_login=at_noon(last_login) if last_login else None
    )
    Membership.objects.filter(user=user).update(created_at=at_noon(day))


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
    made_long_ago(old, years_ago(5), last_login=years_ago(3, days=1))
    recent = UserFactory(role="referrer", centre=cast.centre)
    made_long_ago(recent, years_ago(4), last_login=years_ago(2))
    never_used = UserFactory(role="referrer", centre=cast.centre)
    made_long_ago(never_used, years_ago(4))
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


# --- memberships (issue 19): retention ends a membership, the account only with the last ------


def _unused_referrer_of(*centres) -> User:
    person = UserFactory(role=Role.REFERRER, centre=centres[0], full_name="Rhoda Qztwoplaces")
    for centre in centres[1:]:
        MembershipFactory(user=person, centre=centre, role=Role.REFERRER)
    made_long_ago(person, years_ago(5), last_login=years_ago(3, days=1))
    return person


def test_a_referrer_unused_at_one_centre_keeps_the_account_used_at_another(cast):
    person = _unused_referrer_of(cast.centre, cast.other_centre)
    email = person.email
    accounts.referrers_erase([person.pk], cast.centre)
    person.refresh_from_db()
    assert (person.email, person.full_name, person.is_active) == (email, "Rhoda Qztwoplaces", True)
    assert person.has_usable_password()
    assert list(person.memberships.values_list("centre", flat=True)) == [cast.other_centre.pk]
    ended = Membership.history.filter(user_id=person.pk, centre=cast.centre).latest("history_id")
    assert ended.history_type == "-"  # its history stays, for past quarters' figures
    assert person.pk not in dict(accounts.referrer_candidates(cast.centre, TODAY))
    # ... and when the last membership goes, so does the account
    accounts.referrers_erase([person.pk], cast.other_centre)
    person.refresh_from_db()
    assert person.full_name == f"Former referrer ACC-{person.pk}" and not person.is_active
    assert not person.memberships.exists()


def test_a_referrer_who_works_in_another_role_elsewhere_keeps_the_account(cast):
    person = _unused_referrer_of(cast.centre)
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.COORDINATOR)
    accounts.referrers_erase([person.pk], cast.centre)
    person.refresh_from_db()
    assert person.is_active and person.full_name == "Rhoda Qztwoplaces"
    assert membership_of(person).role == Role.COORDINATOR


def test_a_referrer_membership_given_recently_is_not_due_however_old_the_account(cast):
    person = _unused_referrer_of(cast.centre)
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.REFERRER)  # made today
    assert person.pk in dict(accounts.referrer_candidates(cast.centre, TODAY))
    assert person.pk not in dict(accounts.referrer_candidates(cast.other_centre, TODAY))


def test_without_the_centre_a_person_of_several_memberships_is_never_erased(cast):
    """A caller that does not say which centre's membership is due destroys only accounts
    whose one membership is a referrer's."""
    several = _unused_referrer_of(cast.centre, cast.other_centre)
    single = _unused_referrer_of(cast.centre)
    accounts.referrers_erase([several.pk, single.pk])
    several.refresh_from_db()
    single.refresh_from_db()
    assert several.is_active and several.memberships.count() == 2
    assert not single.is_active and not single.memberships.exists()


def test_the_nightly_job_ends_an_unused_referrers_membership_at_each_centre_it_reviews(cast):
    """Through retention_run, as each night: the person unused at both centres loses both
    memberships and then the account; the job says which centre each came from."""
    person = _unused_referrer_of(cast.centre, cast.other_centre)
    retention_run(today=TODAY)
    person.refresh_from_db()
    assert not person.memberships.exists()
    assert person.full_name == f"Former referrer ACC-{person.pk}" and not person.is_active
    assert set(
        DestructionRecord.objects.filter(record_id=person.pk).values_list("centre", flat=True)
    ) == {cast.centre.pk, cast.other_centre.pk}


def test_the_nightly_job_leaves_the_membership_a_referrer_still_uses(cast):
    person = _unused_referrer_of(cast.centre)
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.REFERRER)  # made today
    retention_run(today=TODAY)
    person.refresh_from_db()
    assert person.is_active and person.full_name == "Rhoda Qztwoplaces"
    assert list(person.memberships.values_list("centre", flat=True)) == [cast.other_centre.pk]


def test_a_person_who_volunteered_at_two_centres_is_erased_when_both_records_go(cast):
    """Each destroyed volunteer record ends the person's volunteer membership at its centre,
    and the account goes with the last: a volunteer of two centres, both records destroyed,
    keeps neither their name nor their email (before, each centre's membership, left behind,
    kept the account 'working elsewhere' for ever)."""
    here = resigned_volunteer(cast.centre, years_ago(4))
    person = here.user
    person.full_name = "Vera Qztwocentres"
    person.save()
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.VOLUNTEER)
    there = AppointedVolunteerFactory(centre=cast.other_centre, user=person)
    Volunteer.objects.filter(pk=there.pk).update(
        status=Volunteer.Status.RESIGNED, resigned_on=years_ago(4)
    )
    email = person.email
    report = retention_run(today=TODAY)
    assert {item.record_id for item in report.destroyed} == {here.pk, there.pk}
    person.refresh_from_db()
    assert not person.is_active and not person.memberships.exists()
    text = _database_text()
    assert "qztwocentres" not in text and email.lower() not in text


def test_a_destroyed_volunteer_who_coordinates_elsewhere_keeps_the_account(cast):
    volunteer = resigned_volunteer(cast.centre, years_ago(4))
    person = volunteer.user
    MembershipFactory(user=person, centre=cast.other_centre, role=Role.COORDINATOR)
    name = person.full_name
    retention_run(today=TODAY)
    person.refresh_from_db()
    assert person.is_active and person.full_name == name
    assert list(person.memberships.values_list("role", flat=True)) == [Role.COORDINATOR]
