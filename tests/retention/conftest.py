"""Shared setup for the retention tests: families with a used-up history, volunteers who
resigned, and ways to look at every row a record owns, live or in history, without asking
the code under test."""

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from cccc.models import DataKey
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    Family,
    KeepApart,
    NameToken,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    SessionNote,
    add_months,
)
from tests.factories import (
    AdultFactory,
    AppointedVolunteerFactory,
    ChildAttendanceFactory,
    ChildFactory,
    ContactSessionFactory,
    DbsReminderFactory,
    FamilyFactory,
    KeepApartFactory,
    ReferralFactory,
    RotaEntryFactory,
    RulesAcknowledgementFactory,
    SessionAttendanceFactory,
    SessionNoteFactory,
    TrainingRecordFactory,
    UserFactory,
)
from volunteers.models import DbsCheck, DbsReminder, RotaEntry, TrainingRecord, Volunteer

TODAY = datetime.date(2026, 6, 15)


def years_ago(years: int, *, days: int = 0, today: datetime.date = TODAY) -> datetime.date:
    return add_months(today, -12 * years) - datetime.timedelta(days=days)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class Story:
    """A family and everything it accumulated, with the ids of each kind of row."""

    family: Family
    adults: list[Adult]
    children: list[Child]
    sessions: list[ContactSession]
    deleted_session_ids: list[int] = field(default_factory=list)


def family_history(
    centre,
    last_used: datetime.date,
    *,
    by,
    sessions: int = 2,
    deleted_session: bool = True,
    keep_apart: bool = True,
) -> Story:
    """A family with two adults (kept apart), a child, a referral, `sessions` held sessions
    with attendances and a note, and (optionally) a session deleted long ago whose rows live
    on only in history. Its last activity is `last_used`, at noon."""
    family = FamilyFactory(centre=centre)
    mum = AdultFactory(family=family, role=Adult.Role.RESIDENT_PARENT)
    dad = AdultFactory(family=family, role=Adult.Role.NON_RESIDENT_PARENT)
    child = ChildFactory(family=family)
    if keep_apart:
        KeepApartFactory(adult_a=mum, adult_b=dad, centre=centre, created_by=by)
    RulesAcknowledgementFactory(adult=mum, recorded_by=by)
    ReferralFactory(family=family, received_on=last_used - datetime.timedelta(days=60))
    made = []
    for n in range(sessions + (1 if deleted_session else 0)):
        session = ContactSessionFactory(
            family=family, date=last_used - datetime.timedelta(days=7 * n), booked_by=by
        )
        came = SessionAttendance.Outcome.ATTENDED  # held: someone attended (issue 19)
        SessionAttendanceFactory(session=session, adult=mum, brings_child=True, outcome=came)
        SessionAttendanceFactory(
            session=session, adult=dad, arrives_at=datetime.time(10), departs_at=datetime.time(12),
            outcome=came,
        )  # fmt: skip
        ChildAttendanceFactory(session=session, child=child, outcome=came)
        SessionNoteFactory(session=session, author=by)
        made.append(session)
    deleted = []
    if deleted_session:
        gone = made.pop()
        deleted.append(gone.pk)
        gone.delete()  # its rows go; their history rows stay behind
    Family.objects.filter(pk=family.pk).update(last_activity=at_noon(last_used))
    family.refresh_from_db()
    return Story(family, [mum, dad], [child], made, deleted)


def resigned_volunteer(centre, resigned_on: datetime.date, *, session=None) -> Volunteer:
    """A volunteer who worked (DBS check and reminder, training, a rota entry, an account)
    and resigned on `resigned_on`."""
    user = UserFactory(role="volunteer", centre=centre, volunteer_record=False)
    volunteer = AppointedVolunteerFactory(centre=centre, user=user)
    TrainingRecordFactory(volunteer=volunteer)
    DbsReminderFactory(check_record=volunteer.dbs_checks.first())
    if session is not None:
        RotaEntryFactory(session=session, volunteer=volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        status=Volunteer.Status.RESIGNED, resigned_on=resigned_on
    )
    volunteer.refresh_from_db()
    return volunteer


# --- every row a record owns, found independently of retention/plan.py ------------------------


def _ids(model, **filters) -> set[int]:
    return set(model.objects.filter(**filters).values_list("pk", flat=True))


def _hist(model, **filters) -> set[int]:
    return set(model.history.filter(**filters).values_list("id", flat=True))


def family_rows(family_id: int) -> dict[str, set]:
    """Every live and history row of one family, by model: {"Adult": {...}, "hist Adult": ...}."""
    rows: dict[str, set] = {}
    rows["Family"] = _ids(Family, pk=family_id)
    rows["hist Family"] = _hist(Family, id=family_id)
    for model in (Adult, Child, Referral, ContactSession, Concern):
        rows[model.__name__] = _ids(model, family_id=family_id)
        rows[f"hist {model.__name__}"] = _hist(model, family_id=family_id)
    adults = rows["Adult"] | rows["hist Adult"]
    children = rows["Child"] | rows["hist Child"]
    sessions = rows["ContactSession"] | rows["hist ContactSession"]
    for model, filters in (
        (SessionAttendance, {"session_id__in": sessions}),
        (ChildAttendance, {"session_id__in": sessions}),
        (SessionNote, {"session_id__in": sessions}),
        (RotaEntry, {"session_id__in": sessions}),
        (RulesAcknowledgement, {"adult_id__in": adults}),
        (KeepApart, {"adult_a_id__in": adults}),
    ):
        rows[model.__name__] = _ids(model, **filters)
        rows[f"hist {model.__name__}"] = _hist(model, **filters)
    rows["SessionAttendance"] |= _ids(SessionAttendance, adult_id__in=adults)
    rows["hist ChildAttendance"] |= _hist(ChildAttendance, child_id__in=children)
    rows["KeepApart"] |= _ids(KeepApart, adult_b_id__in=adults)
    rows["hist KeepApart"] |= _hist(KeepApart, adult_b_id__in=adults)
    rows["NameToken"] = _ids(NameToken, family_id=family_id)  # no history: derived data
    family = Family.objects.filter(pk=family_id).first()
    rows["DataKey"] = {family.data_key_id} if family else set()
    return rows


def volunteer_rows(volunteer_id: int) -> dict[str, set]:
    rows = {
        "Volunteer": _ids(Volunteer, pk=volunteer_id),
        "hist Volunteer": _hist(Volunteer, id=volunteer_id),
    }
    for model in (TrainingRecord, DbsCheck, RotaEntry):
        rows[model.__name__] = _ids(model, volunteer_id=volunteer_id)
        rows[f"hist {model.__name__}"] = _hist(model, volunteer_id=volunteer_id)
    checks = rows["DbsCheck"] | rows["hist DbsCheck"]
    rows["DbsReminder"] = _ids(DbsReminder, check_record_id__in=checks)
    volunteer = Volunteer.objects.filter(pk=volunteer_id).first()
    rows["DataKey"] = {volunteer.data_key_id} if volunteer else set()
    return rows


def any_rows(rows: dict[str, set]) -> bool:
    return any(rows.values())


def key_exists(key_id: int) -> bool:
    return DataKey.objects.filter(pk=key_id).exists()


@pytest.fixture
def today():
    return TODAY
