"""The retention benchmark (`make bench-retention`): how fast the nightly job destroys due
families, against plain SQL DELETEs of exactly the same rows, and whether it stays linear.

For each size (10,000 then 100,000 due families) it rebuilds a PostgreSQL database whose name
ends in "_bench" with that many families unused for more than three years, plus one in ten
used recently (which must survive), each with its adults, children, referral, sessions with
adult and child attendances, notes, keep-apart flags, rules acknowledgements, now and then a
closed concern, a session deleted long ago (its rows live on only in history), simple_history
rows for all of it (a "+" row each, a "~" row per session), and its own data key. Every
personal value is a real AES-GCM token under the family's key; rows go in with COPY and the
history rows with INSERT ... SELECT, so building takes minutes, not hours.

Then it copies the database (CREATE DATABASE ... TEMPLATE), so the two contenders start from
identical data:

- on the original, `retention.services.retention_run` destroys the due families as the
  nightly job would (batches of BATCH_SIZE records per transaction, statistics, register,
  lock, set-based deletes of rows, history rows and keys);
- on the copy, one transaction of plain SQL: temporary tables of the ids to delete (found
  through the live and the history tables, as the job finds them), then one
  DELETE ... WHERE id IN (SELECT ...) per table, children first, and the data keys.

Both are timed on the wall clock; afterwards every family, volunteer, disclosure and key table
must hold the same number of rows in both databases, or the report says they differ.
"""

import datetime
import math
import os
import random
import time
from dataclasses import dataclass, field

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from cccc import crypto
from cccc.fields import BlindIndexField, EncryptedField
from cccc.models import Centre, DataKey
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    Family,
    KeepApart,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    SessionNote,
)
from families.models.referral import AgencyType, ContactType
from retention import plan, rules
from retention.services import BATCH_SIZE, retention_run
from tools.benchmark_data import (
    FIRST_NAMES,
    NEEDS,
    ROOMS,
    STARTS,
    STREETS,
    SURNAMES,
    TOWNS,
    Staff,
    database_refusal,
    ensure_centres,
    insert_rows,
)
from volunteers.models import Volunteer

SIZES = (10_000, 100_000)
CENTRES = 10
NOT_DUE_SHARE = 0.1  # one family in ten was used recently and must survive
SESSIONS = (3, 7)  # per family, inclusive
CHUNK = 5_000  # families built per transaction
OLD_ROOM = "Old room (deleted)"  # marks the sessions deleted long ago
LINEAR_TOLERANCE = 1.25  # per-record time at the larger size within 25% of the smaller


def copy_name(name: str) -> str:
    return name.removesuffix("_bench") + "_plain_bench"


# --- building -------------------------------------------------------------------------------


class Rows:
    """Tuples for COPY in a model's column order; encrypted values sealed under a family's
    key exactly as EncryptedField.seal seals them, blind indexes as BlindIndexField computes
    them."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.rows: list[tuple] = []

    def add(self, key: tuple[int, bytes] | None = None, **values) -> None:
        row = []
        for f in self.fields:
            value = values[f.attname] if f.attname in values else f.get_default()
            if isinstance(f, EncryptedField) and value is not None:
                key_id, key_bytes = key
                value = crypto.seal(
                    f.to_bytes(value), key=key_bytes, data_key_id=key_id, context=f.name
                )
            elif isinstance(f, BlindIndexField):
                source = values.get(f.source, "")
                value = crypto.blind_index(f.purpose, source) if source else ""
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self) -> None:
        columns, rows = self.columns, self.rows
        pk = self.fields.index(self.model._meta.pk)
        if rows and rows[0][pk] is None:  # ids from the column default
            columns = columns[:pk] + columns[pk + 1 :]
            rows = [row[:pk] + row[pk + 1 :] for row in rows]
        insert_rows(self.model, columns, rows)
        self.rows = []


def _reserve(model, count: int) -> int:
    """Take `count` ids from the table's sequence; returns the first."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        return cursor.fetchone()[0] - count + 1


class Ids:
    def __init__(self, model, count: int):
        self.next = _reserve(model, count) if count else 0

    def take(self) -> int:
        self.next += 1
        return self.next - 1


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


def _add_minutes(t: datetime.time, minutes: int) -> datetime.time:
    total = t.hour * 60 + t.minute + minutes
    return datetime.time(total // 60, total % 60)


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
            ChildAttendance, SessionNote, KeepApart, RulesAcknowledgement, Concern,
        )
    }  # fmt: skip
    rng = random.Random(f"{centre.code}/{first_number}")
    for number, planned in enumerate(plans, start=first_number):
        master_id, wrapped = crypto.wrap_data_key(plain := crypto.new_data_key())
        key = (key_ids.take(), plain)
        tables[DataKey].add(id=key[0], master_key_id=master_id, wrapped=wrapped)
        family = family_ids.take()
        created = planned.last_used - datetime.timedelta(days=400)
        tables[Family].add(
            id=family, centre_id=centre.pk, reference=f"{centre.code}-R-{number:07d}",
            status=Family.Status.CLOSED, last_activity=planned.last_used, created_at=created,
            data_key_id=key[0],
        )  # fmt: skip
        adults = []
        for role, first, last in planned.adults:
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
        for _ in range(planned.children):
            children.append(child_id := child_ids.take())
            tables[Child].add(
                key, id=child_id, family_id=family, first_name=rng.choice(FIRST_NAMES),
                last_name=planned.adults[0][2],
                date_of_birth=created.date() - datetime.timedelta(days=rng.randint(700, 5000)),
                needs=rng.choice(NEEDS) if rng.random() < 0.1 else "",
            )  # fmt: skip
        tables[Referral].add(
            key, family_id=family, referrer_id=staff.referrer.pk, entered_by_id=by,
            agency_type=rng.choice(AgencyType.values), received_on=created.date(),
            court_order="", risk_domestic_abuse=rng.choice(["yes", "no", "unknown"]),
            risk_abduction="no", risk_substance_misuse="no", risk_mental_health="unknown",
            contact_type=ContactType.SUPERVISED, status=Referral.Status.ACCEPTED,
            decided_by_id=by, decided_at=created, review_due=created.date(),
        )  # fmt: skip
        if planned.concern:
            tables[Concern].add(
                key, family_id=family, kind=Concern.Kind.GUIDANCE, raised_by_id=by,
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
                starts_at=starts, ends_at=_add_minutes(starts, 90),
                room=OLD_ROOM if old else rng.choice(ROOMS),
                contact_type=ContactType.SUPERVISED, status=ContactSession.Status.BOOKED,
                instructions="", booked_by_id=by, booked_at=created,
            )  # fmt: skip
            for adult_id, role in adults:
                brings = role == Adult.Role.RESIDENT_PARENT
                tables[SessionAttendance].add(
                    session_id=session, adult_id=adult_id, brings_child=brings,
                    arrives_at=_add_minutes(starts, -15 if brings else 0),
                    departs_at=_add_minutes(starts, 105 if brings else 90),
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
    old = "WHERE room = %s"
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


def build(due: int, *, seed: int = 2026) -> dict:
    """Fill the (empty, migrated) database; returns how long each part took."""
    started = time.perf_counter()
    staff = ensure_centres(CENTRES)
    centres = list(Centre.objects.filter(pk__in=staff).order_by("code"))
    now = timezone.now()
    rng = random.Random(seed)
    not_due = math.ceil(due * NOT_DUE_SHARE)
    flags = [True] * due + [False] * not_due
    rng.shuffle(flags)
    per_centre = math.ceil(len(flags) / len(centres))
    for index, centre in enumerate(centres):
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


# --- the copy and the plain SQL -------------------------------------------------------------


def _admin_params(settings_dict: dict) -> dict:
    params = {
        key: settings_dict[setting]
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if settings_dict.get(setting)
    }
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    return params


def make_copy(settings_dict: dict) -> float:
    """CREATE DATABASE <copy> TEMPLATE <bench database>; returns seconds taken."""
    started = time.perf_counter()
    connection.close()
    name = psycopg.sql.Identifier(settings_dict["NAME"])
    copy = psycopg.sql.Identifier(copy_name(settings_dict["NAME"]))
    with psycopg.connect(dbname="postgres", autocommit=True, **_admin_params(settings_dict)) as db:
        db.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(copy))
        db.execute(
            psycopg.sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(copy, name)
        )
    return time.perf_counter() - started


def drop_copy(settings_dict: dict) -> None:
    copy = psycopg.sql.Identifier(copy_name(settings_dict["NAME"]))
    with psycopg.connect(dbname="postgres", autocommit=True, **_admin_params(settings_dict)) as db:
        db.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(copy))


# The ids to delete, found as the job finds them: through the live and the history tables.
_FOUND = [
    ("d_family", "SELECT id, data_key_id FROM families_family WHERE last_activity < %(cutoff)s"),
    *(
        (
            f"d_{name}",
            f"SELECT id FROM families_{name} WHERE family_id IN (SELECT id FROM d_family) "  # noqa: S608 - our own table names
            f"UNION SELECT id FROM families_historical{name} "
            "WHERE family_id IN (SELECT id FROM d_family)",
        )
        for name in ("adult", "child", "referral", "contactsession", "concern")
    ),
    *(
        (
            f"d_{name}",
            f"SELECT id FROM {table} WHERE family_id IN (SELECT id FROM d_family) "  # noqa: S608 - our own table names
            f"UNION SELECT id FROM {history} WHERE family_id IN (SELECT id FROM d_family)",
        )
        for name, table, history in (
            (
                "disclosurerequest",
                "disclosures_disclosurerequest",
                "disclosures_historicaldisclosurerequest",
            ),
            ("keeplonger", "retention_keeplonger", "retention_historicalkeeplonger"),
        )  # fmt: skip
    ),
    *(
        (
            f"d_{name}",
            " UNION ".join(
                f"SELECT id FROM {t} WHERE {column} IN (SELECT id FROM d_{parent})"  # noqa: S608
                for t in (table, history)
                for column, parent in ((a, pa), (b, pb))
            ),
        )
        for name, table, history, a, pa, b, pb in (
            (
                "sessionattendance",
                "families_sessionattendance",
                "families_historicalsessionattendance",
                "session_id",
                "contactsession",
                "adult_id",
                "adult",
            ),
            (
                "childattendance",
                "families_childattendance",
                "families_historicalchildattendance",
                "session_id",
                "contactsession",
                "child_id",
                "child",
            ),
            (
                "keepapart",
                "families_keepapart",
                "families_historicalkeepapart",
                "adult_a_id",
                "adult",
                "adult_b_id",
                "adult",
            ),
        )  # fmt: skip
    ),
    *(
        (
            f"d_{name}",
            f"SELECT id FROM {table} WHERE {a} IN (SELECT id FROM d_{pa}) "  # noqa: S608 - our own table names
            f"UNION SELECT id FROM {history} WHERE {a} IN (SELECT id FROM d_{pa})",
        )
        for name, table, history, a, pa in (
            (
                "sessionnote",
                "families_sessionnote",
                "families_historicalsessionnote",
                "session_id",
                "contactsession",
            ),
            (
                "rotaentry",
                "volunteers_rotaentry",
                "volunteers_historicalrotaentry",
                "session_id",
                "contactsession",
            ),
            (
                "rulesacknowledgement",
                "families_rulesacknowledgement",
                "families_historicalrulesacknowledgement",
                "adult_id",
                "adult",
            ),
            (
                "consentgrant",
                "disclosures_consentgrant",
                "disclosures_historicalconsentgrant",
                "adult_id",
                "adult",
            ),
        )  # fmt: skip
    ),
]
# Children before parents; then every history table; then the keys.
_LIVE = [
    ("families_sessionattendance", "sessionattendance"),
    ("families_childattendance", "childattendance"),
    ("families_sessionnote", "sessionnote"),
    ("volunteers_rotaentry", "rotaentry"),
    ("disclosures_disclosurerequest", "disclosurerequest"),
    ("disclosures_consentgrant", "consentgrant"),
    ("families_keepapart", "keepapart"),
    ("families_rulesacknowledgement", "rulesacknowledgement"),
    ("retention_keeplonger", "keeplonger"),
    ("families_concern", "concern"),
    ("families_contactsession", "contactsession"),
    ("families_referral", "referral"),
    ("families_child", "child"),
    ("families_adult", "adult"),
    ("families_family", "family"),
]


def _history_table(table: str) -> str:
    app, _, model = table.partition("_")
    return f"{app}_historical{model}"


def plain_sql_statements() -> list[str]:
    statements = []
    for name, select in _FOUND:
        statements += [f"CREATE TEMP TABLE {name} AS {select}", f"ANALYZE {name}"]
    statements += [
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM d_{name})"  # noqa: S608
        for table, name in _LIVE
    ]
    statements += [
        f"DELETE FROM {_history_table(table)} WHERE id IN (SELECT id FROM d_{name})"  # noqa: S608
        for table, name in _LIVE
    ]
    statements.append("DELETE FROM cccc_datakey WHERE id IN (SELECT data_key_id FROM d_family)")
    return statements


def run_plain_sql(settings_dict: dict, cutoff: datetime.datetime) -> float:
    """The plain DELETEs on the copy, in one transaction; returns seconds taken."""
    params = _admin_params(settings_dict)
    with psycopg.connect(dbname=copy_name(settings_dict["NAME"]), **params) as db:
        started = time.perf_counter()
        with db.transaction():
            for statement in plain_sql_statements():
                db.execute(statement, {"cutoff": cutoff} if "%(cutoff)s" in statement else None)
        return time.perf_counter() - started


# --- counting -------------------------------------------------------------------------------


def counted_tables() -> list[str]:
    tables = {DataKey._meta.db_table}
    for root in (Family, Volunteer):
        for node in plan.ownership(root).nodes:
            tables.add(node.model._meta.db_table)
            if node.history is not None:
                tables.add(node.history._meta.db_table)
    return sorted(tables)


def row_counts(dbname: str | None, settings_dict: dict) -> dict[str, int]:
    tables = counted_tables()
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM {t}"  # noqa: S608
        for t in tables
    )
    if dbname is None:
        with connection.cursor() as cursor:
            cursor.execute(query)
            return dict(cursor.fetchall())
    with psycopg.connect(dbname=dbname, **_admin_params(settings_dict)) as db:
        return dict(db.execute(query).fetchall())


# --- one size -------------------------------------------------------------------------------


@dataclass
class Result:
    due: int
    not_due: int
    rows_before: int
    rows_deleted: int
    build: dict = field(default_factory=dict)
    copy_s: float = 0.0
    job_s: float = 0.0
    plain_s: float = 0.0
    destroyed: int = 0
    same_rows: bool = False
    differences: dict = field(default_factory=dict)

    @property
    def records_per_s(self) -> float:
        return self.destroyed / self.job_s if self.job_s else 0.0

    @property
    def ratio(self) -> float:
        return self.job_s / self.plain_s if self.plain_s else math.inf

    @property
    def ms_per_record(self) -> float:
        return 1000 * self.job_s / self.destroyed if self.destroyed else math.inf


def measure(due: int, settings_dict: dict, *, batch_size: int = BATCH_SIZE, say=print) -> Result:
    """Build, copy, time the job on the original and plain SQL on the copy, compare."""
    result = Result(due=due, not_due=math.ceil(due * NOT_DUE_SHARE), rows_before=0,
                    rows_deleted=0)  # fmt: skip
    say(f"{due:,} due families: building ...")
    result.build = build(due)
    say("  built: " + ", ".join(f"{k} {v:.0f} s" for k, v in result.build.items()))
    before = row_counts(None, settings_dict)
    result.rows_before = sum(before.values())
    result.copy_s = make_copy(settings_dict)
    say(f"  copied the database in {result.copy_s:.0f} s; timing the job ...")
    today = timezone.localdate()
    started = time.perf_counter()
    report = retention_run(today=today, batch_size=batch_size)
    result.job_s = time.perf_counter() - started
    result.destroyed = len(report.destroyed)
    say(f"  job: {result.destroyed:,} destroyed in {result.job_s:.1f} s; plain SQL ...")
    centre = Centre.objects.order_by("pk").first()
    cutoff = rules.start_of_day_after(rules.FAMILY.last_clock_day_due(centre, today))
    result.plain_s = run_plain_sql(settings_dict, cutoff)
    say(f"  plain SQL: {result.plain_s:.1f} s")
    job_after = row_counts(None, settings_dict)
    plain_after = row_counts(copy_name(settings_dict["NAME"]), settings_dict)
    result.rows_deleted = result.rows_before - sum(job_after.values())
    result.differences = {
        t: (job_after[t], plain_after[t]) for t in job_after if job_after[t] != plain_after[t]
    }
    result.same_rows = not result.differences
    drop_copy(settings_dict)
    return result


# --- reporting ------------------------------------------------------------------------------


def linear_verdict(results: list[Result]) -> tuple[float | None, str]:
    if len(results) < 2:
        return None, "only one size measured"
    small, large = results[0], results[-1]
    growth = large.ms_per_record / small.ms_per_record
    verdict = "linear" if growth <= LINEAR_TOLERANCE else "NOT linear"
    return growth, verdict


def text_table(results: list[Result]) -> str:
    header = (
        f"{'due families':>13} {'rows deleted':>13} {'job s':>8} {'records/s':>10} "
        f"{'ms/record':>10} {'plain SQL s':>12} {'ratio':>6} {'same rows':>10}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r.due:>13,} {r.rows_deleted:>13,} {r.job_s:>8.1f} {r.records_per_s:>10,.0f} "
            f"{r.ms_per_record:>10.2f} {r.plain_s:>12.1f} {r.ratio:>6.2f} "
            f"{'yes' if r.same_rows else 'NO':>10}"
        )
    return "\n".join(lines)


def markdown_report(results: list[Result], *, batch_size: int, total_s: float) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    growth, verdict = linear_verdict(results)
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    lines = [
        "# Benchmark: the retention job destroying due families",
        "",
        f"`make bench-retention` on {time.strftime('%Y-%m-%d %H:%M %Z')}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPUs (load average at the end: {load}); {total_s:.0f} s in all. "
        f"The job: `retention_run`, {batch_size} records per transaction. Plain SQL: one "
        "transaction of temporary id tables and one DELETE per table, on an identical copy "
        "of the database (CREATE DATABASE ... TEMPLATE). Both wall clock.",
        "",
        "Each family: 2-3 adults, 1-3 children, a referral, 3-7 sessions with adult and child "
        "attendances and notes, rules acknowledgements, a keep-apart flag (1 in 5), a closed "
        "concern (1 in 33), a session deleted long ago (1 in 5: history rows only), a '+' "
        "history row for every row and a '~' row per session, and its own data key. One "
        "family in ten was used recently and must survive.",
        "",
        "| due families | rows before | rows deleted | job s | records/s | ms/record "
        "| plain SQL s | job / plain | same rows left |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        *(
            f"| {r.due:,} | {r.rows_before:,} | {r.rows_deleted:,} | {r.job_s:.1f} | "
            f"{r.records_per_s:,.0f} | {r.ms_per_record:.2f} | {r.plain_s:.1f} | "
            f"{r.ratio:.2f}x | {'yes' if r.same_rows else 'NO: ' + str(r.differences)} |"
            for r in results
        ),
        "",
        "Building (not timed against anything): "
        + "; ".join(
            f"{r.due:,}: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in r.build.items())
            + f", copy {r.copy_s:.0f} s"
            for r in results
        )
        + ".",
        "",
        "## Findings",
        "",
        *(
            f"- {r.due:,}: the job took {r.ratio:.2f}x the plain DELETEs "
            + ("(target <= 2x: met)." if r.ratio <= 2 else "(target <= 2x: MISSED).")
            for r in results
        ),
    ]
    if growth is not None:
        lines.append(
            f"- Per record, {results[-1].due:,} families cost {growth:.2f}x what "
            f"{results[0].due:,} did: {verdict} (tolerance {LINEAR_TOLERANCE}x)."
        )
    lines.append("")
    return "\n".join(lines)


__all__ = ["SIZES", "database_refusal", "markdown_report", "measure", "text_table"]
