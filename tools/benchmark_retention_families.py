"""The families of the retention benchmark: for each due family (unused for more than three
years) and each recent one (which must survive), 2-3 adults, 1-3 children, a referral, 3-7
sessions with adult and child attendances and notes, rules acknowledgements, now and then a
keep-apart flag or a closed concern, a session deleted long ago (its rows live on only in
history), simple_history rows for all of it (a "+" row each, a "~" row per session), the
search hashes of its names, and its own data key. Every personal value is a real AES-GCM
token under the family's key; rows go in with COPY and the history rows with INSERT ...
SELECT, so building takes minutes, not hours."""

import datetime
import math
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from cccc import crypto
from cccc.models import Centre, DataKey
from families import name_index
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
    Room,
    RulesAcknowledgement,
    SessionAttendance,
    SessionNote,
)
from families.models.referral import AgencyType, ContactType
from families.names import Person, people_line
from tools.benchmark_centres import Staff, ensure_centres, ensure_rooms
from tools.benchmark_copy import Ids, Rows
from tools.benchmark_values import (
    FIRST_NAMES,
    NEEDS,
    STARTS,
    STREETS,
    SURNAMES,
    TOWNS,
    add_minutes,
)

CENTRES = 10
NOT_DUE_SHARE = 0.1  # one family in ten was used recently and must survive
SESSIONS = (3, 7)  # per family, inclusive
CHUNK = 5_000  # families built per transaction
OLD_ROOM = "Old room (deleted)"  # each centre's room of the sessions deleted long ago


@dataclass
class Planned:
    last_used: datetime.datetime
    adults: list[tuple[str, str, str]]  # role, first, last
    children: int
    sessions: list[tuple[datetime.date, datetime.time]]
    deleted_session: bool
    kept_apart: bool
    concern: bool


def _plan(rng: random.Random, now: datetime.datetime, due: bool) -> Planned:
    if due:  # unused for between 3 years and a day and 6 years
        last = now - datetime.timedelta(days=rng.uniform(3 * 365 + 2, 6 * 365))
    else:
        last = now - datetime.timedelta(days=rng.uniform(1, 2.5 * 365))
    surnames = rng.sample(SURNAMES, 2)
    adults = [
        (Adult.Role.RESIDENT_PARENT, rng.choice(FIRST_NAMES), surnames[0]),
        (Adult.Role.NON_RESIDENT_PARENT, rng.choice(FIRST_NAMES), surnames[1]),
    ]
    if rng.random() < 0.3:
        adults.append((Adult.Role.NAMED_VISITOR, rng.choice(FIRST_NAMES), surnames[1]))
    day = timezone.localtime(last).date()
    sessions = [
        (day - datetime.timedelta(days=7 * n), rng.choice(STARTS))
        for n in range(rng.randint(*SESSIONS))
    ]
    return Planned(
        last_used=last,
        adults=adults,
        children=rng.choice([1, 1, 1, 2, 2, 3]),
        sessions=sessions,
        deleted_session=rng.random() < 0.2,
        kept_apart=rng.random() < 0.2,
        concern=rng.random() < 0.03,
    )


def build_chunk(centre: Centre, staff: Staff, plans: list[Planned], first_number: int) -> None:
    """Insert one chunk of families with everything they own (live rows only)."""
    by = staff.coordinator.pk
    adults_n = sum(len(p.adults) for p in plans)
    children_n = sum(p.children for p in plans)
    sessions_n = sum(len(p.sessions) + p.deleted_session for p in plans)
    key_ids, family_ids = Ids(DataKey, len(plans)), Ids(Family, len(plans))
    adult_ids, child_ids = Ids(Adult, adults_n), Ids(Child, children_n)
    session_ids = Ids(ContactSession, sessions_n)
    tables = {
        m: Rows(m)
        for m in (
            DataKey, Family, Adult, Child, Referral, ContactSession, SessionAttendance,
            ChildAttendance, SessionNote, KeepApart, RulesAcknowledgement, Concern, NameToken,
        )
    }  # fmt: skip
    rng = random.Random(f"{centre.code}/{first_number}")
    rooms = [room.pk for room in ensure_rooms(centre)]
    old_room, _ = Room.objects.get_or_create(
        centre=centre, name=OLD_ROOM, defaults={"in_use": False}
    )
    for number, planned in enumerate(plans, start=first_number):
        master_id, wrapped = crypto.wrap_data_key(plain := crypto.new_data_key())
        key = (key_ids.take(), plain)
        tables[DataKey].add(id=key[0], master_key_id=master_id, wrapped=wrapped)
        family = family_ids.take()
        created = planned.last_used - datetime.timedelta(days=400)
        kids = []  # first name and date of birth
        for _ in range(planned.children):
            days = rng.randint(700, 5000)
            kids.append((rng.choice(FIRST_NAMES), created.date() - datetime.timedelta(days=days)))
        people = [Person(first, last, child=False) for _, first, last in planned.adults]
        people += [Person(first, planned.adults[0][2], child=True) for first, _ in kids]
        tables[Family].add(
            key, id=family, centre_id=centre.pk, reference=f"{centre.code}-R-{number:07d}",
            status=Family.Status.CLOSED, last_activity=planned.last_used, created_at=created,
            data_key_id=key[0], people_names=people_line(people),
        )  # fmt: skip
        adults, tokens = [], set()
        for role, first, last in planned.adults:
            tokens |= name_index.person_tokens(centre.pk, first, last, None, child=False)
            adults.append((adult_id := adult_ids.take(), role))
            tables[Adult].add(
                key, id=adult_id, family_id=family, role=role, first_name=first,
                last_name=last,
                address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}",
                phone=f"07700 9{rng.randint(0, 99999):05d}", email=f"{first}.{last}@example.org",
            )  # fmt: skip
            tables[RulesAcknowledgement].add(
                adult_id=adult_id, acknowledged_on=created.date(), policy_version="1",
                no_recording=True, no_discussing_others=True, recorded_by_id=by,
            )  # fmt: skip
        if planned.kept_apart:
            tables[KeepApart].add(
                centre_id=centre.pk, adult_a_id=adults[0][0], adult_b_id=adults[1][0],
                created_by_id=by, created_at=created,
            )  # fmt: skip
        children = []
        for first, born in kids:
            children.append(child_id := child_ids.take())
            last = planned.adults[0][2]
            tables[Child].add(
                key, id=child_id, family_id=family, first_name=first, last_name=last,
                date_of_birth=born, needs=rng.choice(NEEDS) if rng.random() < 0.1 else "",
            )  # fmt: skip
            tokens |= name_index.person_tokens(centre.pk, first, last, born, child=True)
        for token in sorted(tokens):  # the names' search hashes (no history: derived data)
            tables[NameToken].add(centre_id=centre.pk, family_id=family, token=token)
        tables[Referral].add(
            key, family_id=family, centre_id=centre.pk, referrer_id=staff.referrer.pk,
            entered_by_id=by,
            agency_type=rng.choice(AgencyType.values), received_on=created.date(),
            court_order="", risk_domestic_abuse=rng.choice(["yes", "no", "unknown"]),
            risk_abduction="no", risk_substance_misuse="no", risk_mental_health="unknown",
            contact_type=ContactType.SUPERVISED, status=Referral.Status.ACCEPTED,
            decided_by_id=by, decided_at=created, review_due=created.date(),
        )  # fmt: skip
        if planned.concern:
            tables[Concern].add(
                key, family_id=family, centre_id=centre.pk, kind=Concern.Kind.GUIDANCE,
                raised_by_id=by,
                raised_at=created, text="Asked about the handover.", status="closed",
                closed_by_id=by, closed_at=created, outcome="Answered.",
            )  # fmt: skip
        dated = list(planned.sessions)
        if planned.deleted_session:
            dated.append((dated[-1][0] - datetime.timedelta(days=7), STARTS[0]))
        for n, (day, starts) in enumerate(dated):
            session = session_ids.take()
            old = planned.deleted_session and n == len(dated) - 1
            tables[ContactSession].add(
                key, id=session, family_id=family, centre_id=centre.pk, date=day,
                starts_at=starts, ends_at=add_minutes(starts, 90),
                room_id=old_room.pk if old else rng.choice(rooms),
                contact_type=ContactType.SUPERVISED, status=ContactSession.Status.BOOKED,
                instructions="", booked_by_id=by, booked_at=created,
            )  # fmt: skip
            for adult_id, role in adults:
                brings = role == Adult.Role.RESIDENT_PARENT
                tables[SessionAttendance].add(
                    session_id=session, adult_id=adult_id, brings_child=brings,
                    arrives_at=add_minutes(starts, -15 if brings else 0),
                    departs_at=add_minutes(starts, 105 if brings else 90),
                    outcome=SessionAttendance.Outcome.ATTENDED,
                )  # fmt: skip
            for child_id in children:
                tables[ChildAttendance].add(
                    session_id=session, child_id=child_id,
                    outcome=SessionAttendance.Outcome.ATTENDED,
                )  # fmt: skip
            if n % 2 == 0:
                tables[SessionNote].add(
                    key, session_id=session, author_id=by, written_at=created,
                    text="Contact went ahead as planned; both parents on time.",
                )  # fmt: skip
    for rows in tables.values():  # parents before children
        rows.flush()


HISTORY_FIELDS = {"history_id", "history_date", "history_change_reason", "history_type",
                  "history_user"}  # fmt: skip
FAMILY_MODELS = (
    Family, Adult, Child, Referral, ContactSession, SessionAttendance, ChildAttendance,
    SessionNote, KeepApart, RulesAcknowledgement, Concern,
)  # fmt: skip


def _history_insert(model, where: str = "", history_type: str = "+") -> None:
    """History rows for live rows, as simple_history writes them, in one statement."""
    history = model.history.model
    columns = [f.column for f in history._meta.concrete_fields if f.name not in HISTORY_FIELDS]
    qn = connection.ops.quote_name
    listed = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({listed}, history_date, history_type) "  # noqa: S608
            f"SELECT {listed}, now(), %s FROM {qn(model._meta.db_table)} {where}",
            [history_type],
        )


def _finish_history() -> None:
    """A "+" row for every live row, a "~" row for every session; then the sessions marked
    as deleted long ago lose their live rows (their history stays, with a "-" row)."""
    for model in FAMILY_MODELS:
        _history_insert(model)
    _history_insert(ContactSession, history_type="~")
    old = "WHERE room_id IN (SELECT id FROM families_room WHERE name = %s)"
    sessions = f"SELECT id FROM families_contactsession {old}"  # noqa: S608
    with connection.cursor() as cursor:
        qn = connection.ops.quote_name
        history = ContactSession.history.model
        columns = [f.column for f in history._meta.concrete_fields if f.name not in HISTORY_FIELDS]
        listed = ", ".join(qn(c) for c in columns)
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({listed}, history_date, history_type) "  # noqa: S608
            f"SELECT {listed}, now(), '-' FROM families_contactsession {old}",
            [OLD_ROOM],
        )
        for model in (SessionAttendance, ChildAttendance, SessionNote):
            cursor.execute(
                f"DELETE FROM {qn(model._meta.db_table)} WHERE session_id IN ({sessions})",  # noqa: S608
                [OLD_ROOM],
            )
        cursor.execute(f"DELETE FROM families_contactsession {old}", [OLD_ROOM])  # noqa: S608


def build(due: int, *, seed: int = 2026, centres: int = CENTRES) -> dict:
    """Fill the (empty, migrated) database, the families shared among `centres` centres;
    returns how long each part took."""
    started = time.perf_counter()
    staff = ensure_centres(centres)
    centres_made = list(Centre.objects.filter(pk__in=staff).order_by("code"))
    now = timezone.now()
    rng = random.Random(seed)
    not_due = math.ceil(due * NOT_DUE_SHARE)
    flags = [True] * due + [False] * not_due
    rng.shuffle(flags)
    per_centre = math.ceil(len(flags) / len(centres_made))
    for index, centre in enumerate(centres_made):
        mine = flags[index * per_centre : (index + 1) * per_centre]
        for start in range(0, len(mine), CHUNK):
            plans = [_plan(rng, now, is_due) for is_due in mine[start : start + CHUNK]]
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO off")
                build_chunk(centre, staff[centre.pk], plans, first_number=start + 1)
    live = time.perf_counter() - started
    with transaction.atomic():
        _finish_history()
    history = time.perf_counter() - started - live
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {
        "live rows": live,
        "history rows": history,
        "vacuum": time.perf_counter() - started - live - history,
    }
