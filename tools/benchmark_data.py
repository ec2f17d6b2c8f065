"""A large, realistic data set for the page benchmark (`manage.py bench`).

Every personal value is a real token: rows are built as model instances and each field's own
`pre_save` seals it (and computes the blind index) exactly as `save()` and `bulk_create()` do;
only the transport differs. Rows go in with PostgreSQL COPY, a few thousand at a time per
centre, never one INSERT per row, so the large set takes a minute or two rather than hours.
The ids of rows that others point at are reserved from their sequences first.

Volunteers come with their DBS checks, and every booked session has volunteers on its rota
(some short of the centre's cover), as the dashboard reads both. Not written: simple_history
rows (bulk inserts skip them; the pages measured never read history) and disclosures and
retention records (no page measured reads them).
"""

import datetime
import math
import random
from dataclasses import dataclass, field

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc import crypto
from cccc.models import Centre, DataKey, PolicyVariant, Role, User
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    ContactType,
    Family,
    KeepApart,
    ReferenceCounter,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    add_months,
)
from families.models.referral import AgencyType
from volunteers.models import DbsCheck, DbsLevel, DbsOutcome, RotaEntry, Volunteer

BENCH_SUFFIX = "_bench"
SESSIONS_PER_FAMILY = 20  # on average, over every family
FAMILIES_PER_VOLUNTEER = 25  # 40 volunteers for a centre of 1,000 families
OPERATOR_EMAIL = "operator@bench.example"

FIRST_NAMES = [
    "Oliver", "George", "Harry", "Jack", "Noah", "Leo", "Arthur", "Muhammad", "Oscar", "Charlie",
    "Jacob", "Thomas", "Alfie", "Freddie", "James", "William", "Henry", "Joshua", "Ethan",
    "Daniel", "Liam", "Ryan", "Connor", "Kieran", "Darren", "Wayne", "Lee", "Craig", "Mark",
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace",
    "Freya", "Emily", "Poppy", "Ella", "Evie", "Chloe", "Jessica", "Sarah", "Emma", "Hannah",
    "Rebecca", "Laura", "Gemma", "Kirsty", "Nicola", "Leanne", "Aisha", "Priya", "Zara", "Maryam",
]  # fmt: skip
SURNAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper",
    "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee",
    "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young",
    "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell",
    "Collins", "Morgan", "Kelly", "Begum", "Miller", "Cox", "Marshall", "Simpson", "Anderson",
    "Ellis", "Adams", "Wilkinson", "Ali", "Ahmed", "Foster", "Chapman", "Russell", "Graham",
    "Lloyd", "Murray", "Mason", "Webb", "Rogers", "Gray", "Hunt", "Holmes", "Mills", "Owen",
    "Palmer", "Matthews", "Thomson", "Fisher", "Barnes", "Knight", "Harvey", "Barker", "Butler",
    "Jenkins", "Stevens", "Pearson", "Dixon", "Fletcher", "Hussain", "Howard", "Gibson", "Fox",
    "Kaur", "Nowak", "Okafor",
]  # fmt: skip
# Zipf-like: a few surnames are common, most are not, as in a real town.
SURNAME_WEIGHTS = [1 / (rank + 4) for rank in range(len(SURNAMES))]
STREETS = [
    "High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Avenue",
    "The Crescent", "Queens Road", "Orchard Close", "Manor Way", "Albert Street", "Kings Drive",
    "Meadow View", "Oak Tree Road",
]  # fmt: skip
TOWNS = [
    "Chichester", "Bognor Regis", "Worthing", "Chesterfield", "Dronfield", "Matlock", "Bolsover",
    "Staveley", "Littlehampton", "Midhurst", "Clay Cross", "Selsey",
]  # fmt: skip
ROOMS = ["Blue room", "Green room", "Garden room", "Hall", "Quiet room"]
STARTS = [datetime.time(10, 0), datetime.time(11, 0), datetime.time(13, 30), datetime.time(15, 0)]
NEEDS = ["Nut allergy.", "Uses a wheelchair.", "Speaks Polish at home.", "Asthma inhaler."]
INSTRUCTIONS = ["", "", "", "", "", "", "", "", "", "Father brings the football; no photographs."]
CONCERN_TEXTS = [
    "Child said the resident parent was followed after the last handover.",
    "Non-resident parent arrived early and waited outside the entrance.",
    "Volunteer asks how to answer questions about the other parent's new address.",
]


def database_refusal(settings_dict: dict) -> str | None:
    """Why `bench` must not touch this database (it drops and refills it), or None."""
    if "postgresql" not in settings_dict.get("ENGINE", ""):
        return (
            "The benchmark runs on PostgreSQL only, never SQLite: set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/cccc_bench (or use `make bench`)."
        )
    name = settings_dict.get("NAME") or ""
    if not name.endswith(BENCH_SUFFIX):
        return (
            f"Refusing database {name!r}: the benchmark drops and refills its database, so "
            f"its name must end in {BENCH_SUFFIX!r} (e.g. cccc_bench)."
        )
    return None


def recreate_database(settings_dict: dict) -> None:
    """Drop the benchmark database if it exists and create it empty."""
    if reason := database_refusal(settings_dict):
        raise ValueError(reason)
    connection.close()
    params = {
        key: settings_dict[setting]
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if settings_dict.get(setting)
    }
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    name = psycopg.sql.Identifier(settings_dict["NAME"])
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))


# --- COPY -----------------------------------------------------------------------------------


def _copy(table: str, columns: list[str], rows) -> None:
    sql = psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
        psycopg.sql.Identifier(table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_objects(model, objs: list) -> None:
    """Insert unsaved instances with ids from the table's sequence, sealing every encrypted
    value through its field's pre_save, as Model.save() and bulk_create() would."""
    if not objs:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, len(objs)],
        )
        last = cursor.fetchone()[0]
    for pk, obj in enumerate(objs, start=last - len(objs) + 1):
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # FK ids, as bulk_create
        obj.pk = pk
    fields = model._meta.concrete_fields
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    _copy(
        table,
        [f.column for f in fields],
        ([f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields] for obj in objs),
    )


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain rows (no encrypted field) straight into COPY, ids from the column default."""
    if rows:
        _copy(model._meta.db_table, columns, rows)


# --- centres and their staff ----------------------------------------------------------------


@dataclass
class Staff:
    coordinator: User
    referrer: User


def _user(email: str, role: str, centre: Centre | None, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        extra = {"is_staff": True, "is_superuser": True} if role == Role.OPERATOR else {}
        user = User.objects.create_user(email, role=role, centre=centre, full_name=name, **extra)
        if user.needs_two_factor:
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return user


def ensure_centres(count: int) -> dict[int, Staff]:
    """`count` bench centres, each with one coordinator (confirmed TOTP device) and one
    referrer, plus one operator for the whole installation."""
    staff = {}
    for number in range(1, count + 1):
        code = f"B{number:02d}"
        centre, _ = Centre.objects.get_or_create(
            code=code,
            defaults={
                "name": f"Bench Contact Centre {number:02d}",
                "slug": f"bench-{number:02d}",
                "policy_variant": [PolicyVariant.CHICHESTER, PolicyVariant.CHESTERFIELD][
                    number % 2
                ],
            },
        )
        domain = f"{code.lower()}.bench.example"
        staff[centre.pk] = Staff(
            coordinator=_user(f"coordinator@{domain}", Role.COORDINATOR, centre, f"Coord {code}"),
            referrer=_user(f"referrer@{domain}", Role.REFERRER, centre, f"Referrer {code}"),
        )
    _user(OPERATOR_EMAIL, Role.OPERATOR, None, "Bench Operator")
    return staff


# --- families -------------------------------------------------------------------------------


@dataclass
class FamilyPlan:
    created: datetime.datetime
    status: str
    referral_status: str
    surnames: tuple[str, str]
    extra_adults: list[str]
    children: int
    kept_apart: bool
    concern: bool
    session_weight: float
    sessions: list[datetime.date] = field(default_factory=list)


def _plan_family(rng: random.Random, now: datetime.datetime) -> FamilyPlan:
    created = now - datetime.timedelta(days=rng.uniform(3, 3 * 365), hours=rng.uniform(0, 9))
    roll = rng.random()
    if roll < 0.06 or created > now - datetime.timedelta(days=10):
        status, referral_status = Family.Status.REFERRED, Referral.Status.PENDING
    elif roll < 0.09:
        status, referral_status = Family.Status.CLOSED, Referral.Status.DECLINED
    elif roll < 0.20:
        status, referral_status = Family.Status.CLOSED, Referral.Status.ACCEPTED
    else:
        status, referral_status = Family.Status.ACTIVE, Referral.Status.ACCEPTED
    surnames = tuple(rng.choices(SURNAMES, SURNAME_WEIGHTS, k=2))
    extra = rng.choices([0, 1, 2], [0.25, 0.5, 0.25])[0]
    has_sessions = referral_status == Referral.Status.ACCEPTED
    age = (now - created).days
    return FamilyPlan(
        created=created,
        status=status,
        referral_status=referral_status,
        surnames=surnames,
        extra_adults=rng.choices([Adult.Role.NAMED_VISITOR, Adult.Role.CARER], [3, 1], k=extra),
        children=rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0],
        kept_apart=rng.random() < 0.2,
        concern=rng.random() < 0.03,
        session_weight=age * rng.lognormvariate(0, 0.35) if has_sessions else 0.0,
    )


def _spread_sessions(plans: list[FamilyPlan], total: int, rng: random.Random, today) -> None:
    """Share `total` sessions among the families that have any, older families more, and
    date them between acceptance and (for active families) eight weeks ahead."""
    weight = sum(p.session_weight for p in plans) or 1.0
    for plan in plans:
        count = math.ceil(total * plan.session_weight / weight)
        if not count:
            continue
        first = plan.created.date() + datetime.timedelta(days=14)
        if plan.status == Family.Status.ACTIVE:
            last = today + datetime.timedelta(days=56)
        else:
            last = min(today - datetime.timedelta(days=30), first + datetime.timedelta(days=400))
        span = max((last - first).days, 1)
        plan.sessions = sorted(
            first + datetime.timedelta(days=rng.randrange(span)) for _ in range(count)
        )


def _adult(family: Family, role: str, surname: str, rng: random.Random, n: int) -> Adult:
    first = rng.choice(FIRST_NAMES)
    return Adult(
        family=family,
        role=role,
        first_name=first,
        last_name=surname,
        address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}",
        phone=f"07700 9{rng.randint(0, 99999):05d}",
        email=f"{first}.{surname}{n}@example.org".lower(),
    )


def _aware(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def _add(t: datetime.time, minutes: int) -> datetime.time:
    total = t.hour * 60 + t.minute + minutes
    return datetime.time(total // 60, total % 60)


def add_families(centre: Centre, staff: Staff, count: int, rng: random.Random) -> None:
    """Add `count` families to `centre` with everything a real case accumulates."""
    now, today = timezone.now(), timezone.localdate()
    plans = sorted((_plan_family(rng, now) for _ in range(count)), key=lambda p: p.created)
    _spread_sessions(plans, SESSIONS_PER_FAMILY * count, rng, today)
    keys = [_data_key() for _ in plans]
    insert_objects(DataKey, keys)
    families = _families(centre, plans, keys)

    adults, children, referrals, concerns, sessions = [], [], [], [], []
    people = []  # (adults, children) of each family
    for family, plan in zip(families, plans, strict=True):
        people.append(_people(family, plan, rng, today, first=len(adults)))
        adults += people[-1][0]
        children += people[-1][1]
        referrals.append(_referral(family, plan, staff, rng, today))
        if plan.concern:
            concerns.append(_concern(family, plan, staff.coordinator, rng))
        sessions += _sessions(family, plan, referrals[-1].contact_type, staff.coordinator, rng)
    for model, objs in (
        (Family, families), (Adult, adults), (Child, children), (Referral, referrals),
        (Concern, concerns), (ContactSession, sessions),
    ):  # fmt: skip
        insert_objects(model, objs)
    _insert_plain_rows(families, plans, people, sessions, staff.coordinator, rng)
    insert_rows(
        RotaEntry,
        ["session_id", "volunteer_id", "session_date", "volunteer_cleared_until",
         "assigned_by_id", "assigned_at"],
        _rota_rows(centre, sessions, staff.coordinator, rng),
    )  # fmt: skip


def _data_key() -> DataKey:
    master_key_id, wrapped = crypto.wrap_data_key(plain := crypto.new_data_key())
    key = DataKey(master_key_id=master_key_id, wrapped=wrapped)
    key._plaintext = plain  # what DataKey.plaintext() would cache after unwrapping it
    return key


def _families(centre: Centre, plans: list[FamilyPlan], keys: list[DataKey]) -> list[Family]:
    """Families numbered as families.services numbers them, counters kept in step."""
    counters = {
        c.year: c for c in ReferenceCounter.objects.select_for_update().filter(centre=centre)
    }
    families = []
    for plan, key in zip(plans, keys, strict=True):
        year = timezone.localtime(plan.created).year
        counter = counters.setdefault(year, ReferenceCounter(centre=centre, year=year, last=0))
        counter.last += 1
        families.append(
            Family(
                centre=centre,
                reference=f"{centre.code}-{year}-{counter.last:04d}",
                status=plan.status,
                created_at=plan.created,
                last_activity=plan.created,
                data_key=key,
            )
        )
    for counter in counters.values():
        counter.save()
    return families


def _people(family, plan: FamilyPlan, rng, today, *, first: int) -> tuple[list, list]:
    resident, other = plan.surnames
    roles = [(Adult.Role.RESIDENT_PARENT, resident), (Adult.Role.NON_RESIDENT_PARENT, other)]
    roles += [(role, rng.choice(plan.surnames)) for role in plan.extra_adults]
    adults = [
        _adult(family, role, surname, rng, first + i) for i, (role, surname) in enumerate(roles)
    ]
    children = [
        Child(
            family=family,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(plan.surnames),
            date_of_birth=today - datetime.timedelta(days=rng.randint(2 * 365, 15 * 365)),
            needs=rng.choice(NEEDS) if rng.random() < 0.1 else "",
        )
        for _ in range(plan.children)
    ]
    return adults, children


def _concern(family, plan: FamilyPlan, by: User, rng) -> Concern:
    closed = rng.random() < 0.6
    return Concern(
        family=family,
        kind=rng.choice(Concern.Kind.values),
        raised_by=by,
        raised_at=plan.created + datetime.timedelta(days=30),
        text=rng.choice(CONCERN_TEXTS),
        status=Concern.Status.CLOSED if closed else Concern.Status.OPEN,
        closed_by=by if closed else None,
        closed_at=plan.created + datetime.timedelta(days=40) if closed else None,
        outcome="Talked to both parents; handover times changed." if closed else "",
    )


def _sessions(family, plan: FamilyPlan, contact_type: str, by: User, rng) -> list:
    """The family's sessions; its last activity moves with each booking and attendance."""
    now, sessions = timezone.now(), []
    for day in plan.sessions:
        starts = rng.choice(STARTS)
        booked = _aware(day, starts) - datetime.timedelta(days=rng.randint(7, 28))
        booked = min(max(booked, plan.created), now)
        cancelled = rng.random() < 0.05
        sessions.append(
            ContactSession(
                family=family,
                centre_id=family.centre_id,
                date=day,
                starts_at=starts,
                ends_at=_add(starts, rng.choice([60, 90, 120])),
                room=rng.choice(ROOMS),
                contact_type=contact_type,
                status=ContactSession.Status.CANCELLED
                if cancelled
                else ContactSession.Status.BOOKED,
                instructions=rng.choice(INSTRUCTIONS),
                booked_by=by,
                booked_at=booked,
            )
        )
        held = min(_aware(day, datetime.time(18)), now)
        family.last_activity = max(family.last_activity, booked, held)
    return sessions


def _referral(family, plan: FamilyPlan, staff: Staff, rng: random.Random, today) -> Referral:
    agency = rng.choice(AgencyType.values)
    received = plan.created.date()
    referral = Referral(
        family=family,
        referrer=staff.referrer if agency in (AgencyType.SOLICITOR, AgencyType.CAFCASS) else None,
        entered_by=staff.coordinator,
        agency_type=agency,
        agency_name="Example & Co Solicitors" if agency == AgencyType.SOLICITOR else "",
        received_on=received,
        court_order=rng.choice(["", "Child arrangements order: supervised, fortnightly."]),
        risk_domestic_abuse=rng.choice(["yes", "no", "unknown"]),
        risk_abduction=rng.choice(["no", "no", "unknown"]),
        risk_substance_misuse=rng.choice(["no", "no", "yes"]),
        risk_mental_health=rng.choice(["no", "unknown"]),
        risk_details=rng.choice(["", "", "Non-molestation order in place."]),
        contact_type=rng.choice(ContactType.values),
        status=plan.referral_status,
    )
    if plan.referral_status != Referral.Status.PENDING:
        decided = received + datetime.timedelta(days=7)
        referral.decided_by = staff.coordinator
        referral.decided_at = _aware(decided, datetime.time(11))
        if plan.referral_status == Referral.Status.DECLINED:
            referral.decline_reason = "The centre cannot offer supervised contact on Saturdays."
        else:
            review = add_months(decided, 6)
            while review < today - datetime.timedelta(days=14):
                referral.last_reviewed_on, review = review, add_months(review, 6)
            referral.review_due = review
    return referral


def _plans_for_adults(session, adults, kept_apart: bool, past: bool, rng) -> list[tuple]:
    """One attendance row per adult, timed as families.scheduling.plan_session times them
    (gap 15, handover 10 minutes); past sessions have their outcome and actual times."""
    start, end, gap, handover = session.starts_at, session.ends_at, 15, 10
    rows = []
    for adult in adults:
        brings = adult.role == Adult.Role.RESIDENT_PARENT
        if brings and kept_apart:
            times = (
                _add(start, -gap - handover), _add(start, -gap), _add(end, gap),
                _add(end, gap + handover),
            )  # fmt: skip
        elif brings:
            times = (_add(start, -gap), None, None, _add(end, gap))
        else:
            times = (start, None, None, end)
        outcome, actual = SessionAttendance.Outcome.EXPECTED, (None, None)
        if past and rng.random() < 0.9:
            outcome, actual = SessionAttendance.Outcome.ATTENDED, (times[0], times[3])
        elif past:
            outcome = SessionAttendance.Outcome.DID_NOT_ATTEND
        rows.append((session.pk, adult.pk, brings, *times, outcome, *actual))
    return rows


def _insert_plain_rows(families, plans, people, sessions, by: User, rng) -> None:
    """Attendances, keep-apart flags and rules acknowledgements: no encrypted field, so
    plain tuples straight into COPY."""
    today = timezone.localdate()
    flags, acks, attendances, child_rows = [], [], [], []
    kept_apart = {
        family.pk for family, plan in zip(families, plans, strict=True) if plan.kept_apart
    }
    by_family = {family.pk: both for family, both in zip(families, people, strict=True)}
    for family, plan in zip(families, plans, strict=True):
        adults = by_family[family.pk][0]
        if plan.kept_apart:  # resident and non-resident parent, lower id first
            flags.append((family.centre_id, adults[0].pk, adults[1].pk, by.pk, plan.created))
        for adult in adults:
            if rng.random() < 0.9:
                on = plan.created.date() + datetime.timedelta(days=rng.randint(1, 14))
                acks.append((adult.pk, on, "1", True, True, by.pk))
    for session in sessions:
        adults, children = by_family[session.family_id]
        past = session.date < today and session.status == ContactSession.Status.BOOKED
        apart = session.family_id in kept_apart
        attendances += _plans_for_adults(session, adults, apart, past, rng)
        outcome = SessionAttendance.Outcome.ATTENDED if past else SessionAttendance.Outcome.EXPECTED
        child_rows += [(session.pk, child.pk, outcome) for child in children]
    insert_rows(
        SessionAttendance,
        ["session_id", "adult_id", "brings_child", "arrives_at", "leaves_at", "returns_at",
         "departs_at", "outcome", "actual_arrival", "actual_departure"],
        attendances,
    )  # fmt: skip
    insert_rows(ChildAttendance, ["session_id", "child_id", "outcome"], child_rows)
    insert_rows(
        KeepApart, ["centre_id", "adult_a_id", "adult_b_id", "created_by_id", "created_at"], flags
    )
    insert_rows(
        RulesAcknowledgement,
        ["adult_id", "acknowledged_on", "policy_version", "no_recording",
         "no_discussing_others", "recorded_by_id"],
        acks,
    )  # fmt: skip


# --- volunteers and the rota ----------------------------------------------------------------


def add_volunteers(centre: Centre, staff: Staff, families: int, rng: random.Random) -> None:
    """Top the centre up to one volunteer per FAMILIES_PER_VOLUNTEER families: nine in ten
    appointed, each with a clear enhanced DBS check renewed every three years (so a few fall
    due within the dashboard's sixty days), the rest resigned."""
    today = timezone.localdate()
    want = max(families // FAMILIES_PER_VOLUNTEER, 4)
    have = Volunteer.objects.filter(centre=centre).count()
    if have >= want:
        return
    keys = [_data_key() for _ in range(want - have)]
    insert_objects(DataKey, keys)
    volunteers, checks = [], []
    for key in keys:
        issued = today - datetime.timedelta(days=rng.randint(0, 3 * 365 - 10))
        renewal = add_months(issued, 36)
        appointed = issued + datetime.timedelta(days=rng.randint(7, 30))
        resigned = rng.random() < 0.1
        volunteer = Volunteer(
            centre=centre,
            data_key=key,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choices(SURNAMES, SURNAME_WEIGHTS)[0],
            phone=f"07700 9{rng.randint(0, 99999):05d}",
            email=f"volunteer{rng.randint(0, 10**9)}@example.org",
            status=Volunteer.Status.RESIGNED if resigned else Volunteer.Status.APPOINTED,
            applied_on=issued - datetime.timedelta(days=30),
            appointed_on=appointed,
            resigned_on=today - datetime.timedelta(days=rng.randint(1, 300)) if resigned else None,
            agreement_signed_on=appointed,
            agreement_policy_version="1",
            clearance_expires=renewal,
        )
        volunteers.append(volunteer)
        checks.append(
            DbsCheck(
                volunteer=volunteer,
                level=DbsLevel.ENHANCED_BARRED,
                certificate_number=f"{rng.randint(0, 10**12):012d}",
                outcome=DbsOutcome.CLEAR,
                issued_on=issued,
                renewal_due=renewal,
                recorded_by=staff.coordinator,
                recorded_at=_aware(issued, datetime.time(12)),
            )
        )
    insert_objects(Volunteer, volunteers)
    insert_objects(DbsCheck, checks)


def _rota_rows(centre: Centre, sessions: list, by: User, rng: random.Random) -> list[tuple]:
    """Volunteers on every booked session: the centre's cover on nine in ten, one short on
    the rest. A volunteer's clearance is copied as the services copy it at assignment."""
    volunteers = list(
        Volunteer.objects.filter(centre=centre).values_list("pk", "clearance_expires")
    )
    needed = {
        ContactType.SUPERVISED: centre.supervised_cover,
        ContactType.SUPPORTED: centre.supported_cover,
    }
    rows = []
    for session in sessions:
        if session.status != ContactSession.Status.BOOKED:
            continue
        count = needed[session.contact_type] - (rng.random() < 0.1)
        for pk, cleared in rng.sample(volunteers, min(max(count, 0), len(volunteers))):
            assigned = min(session.booked_at + datetime.timedelta(days=1), timezone.now())
            rows.append((session.pk, pk, session.date, max(cleared, session.date), by.pk, assigned))
    return rows


# --- the whole data set ---------------------------------------------------------------------


def fill(*, centres: int, families_per_centre: int, seed: int = 2026) -> None:
    """Top the database up to `centres` centres of `families_per_centre` families each.
    Run it again with larger numbers to grow the same data set."""
    staff = ensure_centres(centres)
    for centre in Centre.objects.filter(pk__in=staff).order_by("code"):
        have = Family.objects.filter(centre=centre).count()
        if have < families_per_centre:
            rng = random.Random(f"{seed}/{centre.code}/{have}")
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # A lost benchmark row costs nothing; waiting for each WAL flush does.
                    cursor.execute("SET LOCAL synchronous_commit TO off")
                add_volunteers(centre, staff[centre.pk], families_per_centre, rng)
                add_families(centre, staff[centre.pk], families_per_centre - have, rng)


def vacuum_analyze() -> None:
    """What autovacuum would have done on a live installation: fresh planner statistics and
    visibility maps, so the pages are timed against a settled database."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


COUNTED = {
    "centres": Centre.objects,
    "families": Family.objects,
    "adults": Adult.objects,
    "children": Child.objects,
    "referrals": Referral.objects,
    "pending referrals": Referral.objects.filter(status=Referral.Status.PENDING),
    "sessions": ContactSession.objects,
    "adult attendances": SessionAttendance.objects,
    "child attendances": ChildAttendance.objects,
    "keep-apart flags": KeepApart.objects,
    "concerns": Concern.objects,
    "rules acknowledgements": RulesAcknowledgement.objects,
    "volunteers": Volunteer.objects,
    "rota entries": RotaEntry.objects,
    "data keys": DataKey.objects,
    "users": User.objects,
}


def row_counts() -> dict[str, int]:
    return {label: manager.count() for label, manager in COUNTED.items()}
