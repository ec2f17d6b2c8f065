"""The retention run (SPEC §8): what it destroys, what it never touches, and how."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.core.management import call_command
from django.utils import timezone

from cccc import crypto
from cccc.models import DataKey, User
from disclosures.models import WitnessSummons
from families.models import Adult, Concern, Family
from retention.models import DestructionRecord, RetentionRun
from retention.services import retention_run
from tests.factories import (
    AccidentEntryFactory,
    ConcernFactory,
    DisclosureRequestFactory,
    KeepLongerFactory,
    SubjectAccessRequestFactory,
    WitnessSummonsFactory,
)
from tests.retention.conftest import (
    TODAY,
    any_rows,
    family_history,
    family_rows,
    resigned_volunteer,
    volunteer_rows,
    years_ago,
)
from tests.stored import stored
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_it_destroys_a_family_unused_for_three_years_with_every_row_and_history_row(cast):
    story = family_history(cast.centre, years_ago(3, days=1), by=cast.coordinator)
    before = family_rows(story.family.pk)
    assert before["hist ContactSession"] >= set(story.deleted_session_ids)  # history only
    assert before["NameToken"]  # its names' search hashes
    report = retention_run(today=TODAY)
    assert [item.record_id for item in report.destroyed] == [story.family.pk]
    after = family_rows(story.family.pk)
    assert not any_rows(after), after
    for model, name in ((Adult, "Adult"), (Family, "Family")):
        assert not model.history.filter(id__in=before[name] | before[f"hist {name}"]).exists()
    assert not DataKey.objects.filter(pk__in=before["DataKey"]).exists()


def test_it_keeps_a_family_used_within_three_years(cast):
    story = family_history(cast.centre, years_ago(3, days=-1), by=cast.coordinator)
    assert retention_run(today=TODAY).destroyed == []
    assert Family.objects.filter(pk=story.family.pk).exists()


def test_the_period_is_the_centres_setting(cast):
    cast.centre.family_retention_years = 5
    cast.centre.save()
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    assert retention_run(today=TODAY).destroyed == []
    report = retention_run(today=years_ago(-1))
    assert [item.reference for item in report.destroyed] == [story.family.reference]
    entry = DestructionRecord.objects.get()
    assert entry.rule == "CHI-4.9 / CHE-10 / CHE-DP5: 5 years after last use"


def test_a_family_last_used_on_29_february_is_due_on_28_february(cast):
    story = family_history(cast.centre, datetime.date(2024, 2, 29), by=cast.coordinator)
    assert retention_run(today=datetime.date(2027, 2, 27)).destroyed == []
    report = retention_run(today=datetime.date(2027, 2, 28))
    assert [(i.record_id, i.due_on) for i in report.destroyed] == [
        (story.family.pk, datetime.date(2027, 2, 28))
    ]


def test_it_flags_a_family_thirty_days_before_it_is_due(cast):
    soon = family_history(cast.centre, years_ago(3, days=-30), by=cast.coordinator)
    later = family_history(cast.centre, years_ago(3, days=-31), by=cast.coordinator)
    report = retention_run(today=TODAY)
    assert [item.record_id for item in report.flagged] == [soon.family.pk]
    assert Family.objects.filter(pk__in=[soon.family.pk, later.family.pk]).count() == 2


HOLDS = [
    "open concern", "undecided disclosure request", "witness summons",
    "open subject access request",
]  # fmt: skip


@pytest.mark.parametrize("hold", HOLDS)
def test_a_legal_hold_keeps_a_due_family_and_lists_it_with_why(cast, hold):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    if hold == "open concern":
        held_by = ConcernFactory(family=story.family, raised_by=cast.coordinator)
    elif hold == "undecided disclosure request":
        held_by = DisclosureRequestFactory(family=story.family)
    elif hold == "witness summons":
        held_by = WitnessSummonsFactory(centre=cast.centre, family=story.family)
    else:
        held_by = SubjectAccessRequestFactory(adult=story.adults[0])
    report = retention_run(today=TODAY)
    assert report.destroyed == []
    assert [(i.record_id, i.reasons) for i in report.held] == [
        (story.family.pk, (f"{hold} #{held_by.pk}",))
    ]
    assert Family.objects.filter(pk=story.family.pk).exists()


def test_closed_concerns_requests_and_summonses_hold_nothing(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    ConcernFactory(family=story.family, raised_by=cast.coordinator, status=Concern.Status.CLOSED)
    DisclosureRequestFactory(family=story.family, decided=True)
    WitnessSummonsFactory(
        centre=cast.centre, family=story.family, closed_at=timezone.now(),
        outcome=WitnessSummons.Outcome.SET_ASIDE,
    )  # fmt: skip
    assert [i.record_id for i in retention_run(today=TODAY).destroyed] == [story.family.pk]


@pytest.mark.parametrize("hold", ["witness summons", "open subject access request"])
def test_a_legal_hold_keeps_a_due_volunteer(cast, hold):
    volunteer = resigned_volunteer(cast.centre, years_ago(4))
    if hold == "witness summons":
        held_by = WitnessSummonsFactory(
            centre=cast.centre, served=WitnessSummons.Served.VOLUNTEER, volunteer=volunteer
        )
    else:
        held_by = SubjectAccessRequestFactory(adult=None, volunteer=volunteer)
    report = retention_run(today=TODAY)
    assert report.destroyed == []
    assert [(i.reference, i.reasons) for i in report.held] == [
        (f"VOL-{volunteer.pk}", (f"{hold} #{held_by.pk}",))
    ]


def test_a_kept_family_is_skipped_until_its_review_date(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    review = TODAY + datetime.timedelta(days=90)
    KeepLongerFactory(family=story.family, review_on=review, recorded_by=cast.coordinator)
    report = retention_run(today=TODAY)
    assert report.destroyed == [] and [i.kept_until for i in report.kept] == [review]
    flagged = retention_run(today=review - datetime.timedelta(days=10)).flagged
    assert [i.record_id for i in flagged] == [story.family.pk]
    assert [i.record_id for i in retention_run(today=review).destroyed] == [story.family.pk]


def test_it_destroys_a_volunteer_three_years_after_resignation(cast):
    story = family_history(cast.centre, TODAY, by=cast.coordinator)
    volunteer = resigned_volunteer(cast.centre, years_ago(3), session=story.sessions[0])
    staying = resigned_volunteer(cast.centre, years_ago(3, days=-1))
    before = volunteer_rows(volunteer.pk)
    assert before["hist RotaEntry"] and before["DbsReminder"]
    report = retention_run(today=TODAY)
    assert [(i.reference, i.record_type) for i in report.destroyed] == [
        (f"VOL-{volunteer.pk}", "volunteer")
    ]
    assert not any_rows(volunteer_rows(volunteer.pk))
    assert not DataKey.objects.filter(pk__in=before["DataKey"]).exists()
    assert Volunteer.objects.filter(pk=staying.pk).exists()
    assert Family.objects.filter(pk=story.family.pk).exists()  # its session stays


def test_a_destroyed_volunteers_account_keeps_nothing_of_them(cast):
    volunteer = resigned_volunteer(cast.centre, years_ago(4))
    user = volunteer.user
    name, email = user.full_name, user.email
    retention_run(today=TODAY)
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert name not in user.full_name and email != user.email
    assert not User.history.filter(id=user.pk).exists()


def test_a_destroyed_volunteers_sign_ins_and_attempts_leave_django_axes(cast):
    volunteer = resigned_volunteer(cast.centre, years_ago(4))
    email = volunteer.user.email
    seen = {"ip_address": "203.0.113.5", "user_agent": "x", "http_accept": "*/*"}
    for username in (email, email.upper(), cast.coordinator.email):
        AxesAccessLog.objects.create(username=username, path_info="/login/", **seen)
        AccessFailureLog.objects.create(username=username, path_info="/login/", **seen)
        AccessAttempt.objects.create(
            username=username, get_data="", post_data="", failures_since_start=1, **seen
        )
    retention_run(today=TODAY)
    for model in (AxesAccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == [cast.coordinator.email]


def test_an_appointed_volunteer_is_never_due(cast):
    volunteer = Volunteer.objects.get(user=cast.volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(resigned_on=years_ago(5))
    assert retention_run(today=TODAY).destroyed == []


def test_the_accident_book_survives_every_run_and_stays_readable(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    entry = AccidentEntryFactory(
        centre=cast.centre,
        recorded_by=resigned_volunteer(cast.centre, years_ago(4)).user,
        people_involved=f"{story.adults[0].first_name} and her child",
    )
    retention_run(today=TODAY)
    assert not Family.objects.filter(pk=story.family.pk).exists()
    entry = type(entry).objects.get(pk=entry.pk)
    assert entry.people_involved == f"{story.adults[0].first_name} and her child"


def test_ciphertext_copied_before_a_run_cannot_be_opened_after_it(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    adult = story.adults[0]
    token = stored(Adult, adult.pk, "last_name")
    field = Adult._meta.get_field("last_name")

    def reopen() -> str:
        copy = Adult(family=Family(pk=story.family.pk, data_key_id=story.family.data_key_id))
        return field.open(copy, token)

    assert reopen() == adult.last_name
    retention_run(today=TODAY)
    with pytest.raises(crypto.DecryptionError):
        reopen()


def test_it_writes_a_register_entry_with_no_personal_data(cast):
    story = family_history(cast.centre, years_ago(3, days=10), by=cast.coordinator)
    report = retention_run(today=TODAY)
    entry = DestructionRecord.objects.get()
    assert (entry.record_type, entry.record_id, entry.reference, entry.centre) == (
        "family",
        story.family.pk,
        story.family.reference,
        cast.centre,
    )
    assert entry.clock_started_on == years_ago(3, days=10)
    assert entry.due_on == years_ago(0, days=10)
    assert entry.run_id == report.run_id
    stored = " ".join(str(v) for v in DestructionRecord.objects.values().get().values())
    for adult in story.adults:
        assert adult.last_name not in stored and adult.first_name not in stored


def test_a_second_run_changes_nothing(cast):
    family_history(cast.centre, years_ago(4), by=cast.coordinator)
    resigned_volunteer(cast.centre, years_ago(4))
    assert len(retention_run(today=TODAY).destroyed) == 2
    counts = (Family.objects.count(), Volunteer.objects.count(), DataKey.objects.count())
    assert retention_run(today=TODAY).destroyed == []
    assert DestructionRecord.objects.count() == 2
    assert (Family.objects.count(), Volunteer.objects.count(), DataKey.objects.count()) == counts


def test_a_dry_run_changes_nothing_and_says_what_it_would_do(cast, capsys):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    call_command("retention_run", "--dry-run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Would destroy 1 record(s)." in out and story.family.reference in out
    assert Family.objects.filter(pk=story.family.pk).exists()
    assert not DestructionRecord.objects.exists()
    for adult in story.adults:
        assert adult.last_name not in out


def test_the_command_reports_what_it_did_with_references_only(cast, capsys):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    held = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    concern = ConcernFactory(family=held.family, raised_by=cast.coordinator)
    call_command("retention_run", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "Destroyed 1 record(s)." in out and story.family.reference in out
    assert f"{held.family.reference}: open concern #{concern.pk}" in out
    assert not Family.objects.filter(pk=story.family.pk).exists()
    assert RetentionRun.objects.get().destroyed == 1


def test_the_command_refuses_a_bad_date(cast):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention_run", "--today", "next tuesday")
