"""The benchmark families, a centre at a time, with everything a real case accumulates:
adults and children, a referral (some pending, some declined, reviews kept up), sessions
(older families have more) with one attendance row per adult and per child (planned as the
keep-apart scheduler plans them; past ones with outcomes and actual times), keep-apart flags,
concerns, rules acknowledgements, the volunteers on each booked session's rota, and the
search hashes of its names (families.NameToken) with its sealed line of names for the lists.
Each family has its own data key, and its reference is numbered as families.services numbers
them.

Rows are built as tuples (tools/benchmark_rows.py), sealed under each family's key as the
fields seal them: a family's sessions share the one token of each instruction text (sealed
once per family, as a value copied from session to session would be), and a name's search
hashes are computed once per name and centre.
"""

import datetime
import math
import random
from dataclasses import dataclass, field

from django.utils import timezone

from cccc import crypto
from cccc.fields import Sealed
from cccc.models import Centre, DataKey, User
from families.models import (
    Adult,
    Child,
    Concern,
    ContactSession,
    ContactType,
    Family,
    ReferenceCounter,
    Referral,
    add_months,
)
from families.models.referral import AgencyType
from families.names import Person, people_line
from tools.benchmark_centres import Staff, ensure_rooms, rota_rows
from tools.benchmark_copy import reserve_ids
from tools.benchmark_family_rows import BOOKED, CANCELLED, family_rows, flush_plain
from tools.benchmark_rows import Table, copy_lines
from tools.benchmark_values import (
    CONCERN_TEXTS,
    FIRST_NAMES,
    INSTRUCTIONS,
    NEEDS,
    STARTS,
    STREETS,
    SURNAME_WEIGHTS,
    SURNAMES,
    TOWNS,
    add_minutes,
    aware,
)
from volunteers.models import RotaEntry

SESSIONS_PER_FAMILY = 20  # on average, over every family
AGENCIES, CONTACT_TYPES, CONCERN_KINDS = AgencyType.values, ContactType.values, Concern.Kind.values
LONG_CASE = 100  # one family per centre has exactly this many sessions (the family pages)


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


@dataclass(slots=True)
class Session:
    """What the rows after a session need of it (attendances, the rota)."""

    pk: int
    family_id: int
    date: datetime.date
    starts_at: datetime.time
    ends_at: datetime.time
    status: str
    contact_type: str
    booked_at: datetime.datetime


def _plan_family(rng: random.Random, now, *, years: int, quiet: bool) -> FamilyPlan:
    created = now - datetime.timedelta(days=rng.uniform(3, years * 365), hours=rng.uniform(0, 9))
    roll = rng.random()
    if not quiet and (roll < 0.06 or created > now - datetime.timedelta(days=10)):
        status, referral_status = Family.Status.REFERRED, Referral.Status.PENDING
    elif roll < 0.09:
        status, referral_status = Family.Status.CLOSED, Referral.Status.DECLINED
    elif roll < 0.20:
        status, referral_status = Family.Status.CLOSED, Referral.Status.ACCEPTED
    else:
        status, referral_status = Family.Status.ACTIVE, Referral.Status.ACCEPTED
    has_sessions = referral_status == Referral.Status.ACCEPTED
    age = (now - created).days
    return FamilyPlan(
        created=created,
        status=status,
        referral_status=referral_status,
        surnames=tuple(rng.choices(SURNAMES, SURNAME_WEIGHTS, k=2)),
        extra_adults=rng.choices(
            [Adult.Role.NAMED_VISITOR, Adult.Role.CARER],
            [3, 1],
            k=rng.choices([0, 1, 2], [0.25, 0.5, 0.25])[0],
        ),  # fmt: skip
        children=rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0],
        kept_apart=rng.random() < 0.2,
        concern=rng.random() < 0.03,
        session_weight=age * rng.lognormvariate(0, 0.35) if has_sessions else 0.0,
    )


def _spread_sessions(plans: list[FamilyPlan], total: int, rng: random.Random, today) -> None:
    """Share `total` sessions among the families that have any, older families more, and
    date them between acceptance and (for active families) eight weeks ahead. The oldest
    active family has exactly LONG_CASE (the family pages are timed on it)."""
    weight = sum(p.session_weight for p in plans) or 1.0
    active = [p for p in plans if p.status == Family.Status.ACTIVE and p.session_weight]
    long_case = min(active, key=lambda p: p.created) if active else None
    for plan in plans:
        count = math.ceil(total * plan.session_weight / weight)
        if plan is long_case:
            count = LONG_CASE
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


class Rows:
    """Every table's rows for one batch of families."""

    def __init__(self) -> None:
        self.tables = {
            model: Table(model)
            for model in (DataKey, Family, Adult, Child, Referral, Concern, ContactSession)
        }
        self.attendances: list[str] = []  # COPY lines
        self.child_attendances: list[str] = []
        self.flags: list[tuple] = []
        self.acks: list[tuple] = []
        self.tokens: list[str] = []
        self.sessions: list[Session] = []

    def __getitem__(self, model) -> Table:
        return self.tables[model]


def add_families(
    centre: Centre, staff: Staff, count: int, rng: random.Random, *, years: int = 3,
    quiet: bool = False,
) -> None:  # fmt: skip
    """Add `count` families to `centre` with everything a real case accumulates (families
    created over the last `years`; a quiet centre has no referral waiting)."""
    now, today = timezone.now(), timezone.localdate()
    plans = sorted(
        (_plan_family(rng, now, years=years, quiet=quiet) for _ in range(count)),
        key=lambda p: p.created,
    )
    _spread_sessions(plans, SESSIONS_PER_FAMILY * count, rng, today)
    rooms = [room.pk for room in ensure_rooms(centre)]
    references = _references(centre, plans)
    ids = {
        model: reserve_ids(model, n)
        for model, n in (
            (DataKey, count), (Family, count),
            (Adult, sum(2 + len(p.extra_adults) for p in plans)),
            (Child, sum(p.children for p in plans)),
            (ContactSession, sum(len(p.sessions) for p in plans)),
        )
    }  # fmt: skip
    rows = Rows()
    by = staff.coordinator
    for n, (plan, reference) in enumerate(zip(plans, references, strict=True)):
        key_id, family_id = ids[DataKey] + n, ids[Family] + n
        plain_key = crypto.new_data_key()
        master_key_id, wrapped = crypto.wrap_data_key(plain_key)
        rows[DataKey].add(id=key_id, master_key_id=master_key_id, wrapped=wrapped, created_at=now)
        sealer = crypto.Sealer(plain_key, key_id)
        adults, children = _people(rows, ids, sealer, family_id, plan, rng, today)
        contact_type = rng.choice(CONTACT_TYPES)  # the referral's, and its sessions'
        last_activity = _sessions(
            rows, ids, sealer, (family_id, contact_type), centre, plan, by, rng, rooms
        )
        rows[Family].add(
            sealer, id=family_id, centre_id=centre.pk, reference=reference, status=plan.status,
            created_at=plan.created, last_activity=last_activity, data_key_id=key_id,
            people_names=people_line(
                [Person(first, last, child=False) for _, _, first, last in adults]
                + [Person(first, last, child=True) for _, first, last, _ in children]
            ),
        )  # fmt: skip
        _referral(rows, sealer, (family_id, contact_type), centre, plan, staff, rng, today)
        if plan.concern:
            _concern(rows, sealer, family_id, centre, plan, by, rng)
        family_rows(rows, centre, family_id, plan, adults, children, by, rng, today)
    for model in (DataKey, Family, Adult, Child, Referral, Concern, ContactSession):
        rows[model].flush()
    flush_plain(rows)
    copy_lines(
        RotaEntry,
        ["session_id", "volunteer_id", "session_date", "volunteer_cleared_until",
         "assigned_by_id", "assigned_at"],
        rota_rows(centre, rows.sessions, by, rng, text=True),
    )  # fmt: skip


def _references(centre: Centre, plans: list[FamilyPlan]) -> list[str]:
    """References numbered as families.services numbers them, counters kept in step."""
    counters = {
        c.year: c for c in ReferenceCounter.objects.select_for_update().filter(centre=centre)
    }
    references = []
    for plan in plans:
        year = timezone.localtime(plan.created).year
        counter = counters.setdefault(year, ReferenceCounter(centre=centre, year=year, last=0))
        counter.last += 1
        references.append(f"{centre.code}-{year}-{counter.last:04d}")
    for counter in counters.values():
        counter.save()
    return references


def _people(rows: Rows, ids, sealer, family_id: int, plan: FamilyPlan, rng, today):
    """The family's adults (id, role, first, last) and children (id, first, last, born)."""
    resident, other = plan.surnames
    roles = [(Adult.Role.RESIDENT_PARENT, resident), (Adult.Role.NON_RESIDENT_PARENT, other)]
    roles += [(role, rng.choice(plan.surnames)) for role in plan.extra_adults]
    adults, children = [], []
    for role, surname in roles:
        pk, ids[Adult] = ids[Adult], ids[Adult] + 1
        first = rng.choice(FIRST_NAMES)
        rows[Adult].add(
            sealer, id=pk, family_id=family_id, role=role, first_name=first, last_name=surname,
            address=f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {rng.choice(TOWNS)}",
            phone=f"07700 9{rng.randint(0, 99999):05d}",
            email=f"{first}.{surname}{pk}@example.org".lower(),
        )  # fmt: skip
        adults.append((pk, role, first, surname))
    for _ in range(plan.children):
        pk, ids[Child] = ids[Child], ids[Child] + 1
        first, last = rng.choice(FIRST_NAMES), rng.choice(plan.surnames)
        born = today - datetime.timedelta(days=rng.randint(2 * 365, 15 * 365))
        rows[Child].add(
            sealer, id=pk, family_id=family_id, first_name=first, last_name=last,
            date_of_birth=born, needs=rng.choice(NEEDS) if rng.random() < 0.1 else "",
        )  # fmt: skip
        children.append((pk, first, last, born))
    return adults, children


def _sessions(rows: Rows, ids, sealer, family, centre, plan, by: User, rng, rooms):
    """The family's sessions, each in one of the centre's rooms (chosen at random: the data
    is for timing pages, so a room may hold more than its capacity); returns the family's
    last activity, which moves with each booking and attendance."""
    now, last_activity = timezone.now(), plan.created
    family_id, contact_type = family
    sealed: dict[str, Sealed] = {}  # each instruction text sealed once for the family
    for day in plan.sessions:
        pk, ids[ContactSession] = ids[ContactSession], ids[ContactSession] + 1
        starts = rng.choice(STARTS)
        booked = aware(day, starts) - datetime.timedelta(days=rng.randint(7, 28))
        booked = min(max(booked, plan.created), now)
        text = rng.choice(INSTRUCTIONS)
        if text not in sealed:
            sealed[text] = Sealed(sealer.seal(text.encode(), "instructions"))
        session = Session(
            pk, family_id, day, starts, add_minutes(starts, rng.choice([60, 90, 120])),
            CANCELLED if rng.random() < 0.05 else BOOKED, contact_type, booked,
        )  # fmt: skip
        rows.sessions.append(session)
        rows[ContactSession].add(
            id=pk, family_id=family_id, centre_id=centre.pk, date=day, starts_at=starts,
            ends_at=session.ends_at, room_id=rng.choice(rooms), contact_type=contact_type,
            status=session.status,
            instructions=sealed[text], booked_by_id=by.pk, booked_at=booked,
        )  # fmt: skip
        last_activity = max(last_activity, booked, min(aware(day, datetime.time(18)), now))
    return last_activity


def _referral(rows: Rows, sealer, family, centre, plan, staff: Staff, rng, today) -> None:
    family_id, contact_type = family
    agency = rng.choice(AGENCIES)
    received = plan.created.date()
    values = {
        "family_id": family_id, "centre_id": centre.pk,
        "referrer_id": staff.referrer.pk
        if agency in (AgencyType.SOLICITOR, AgencyType.CAFCASS) else None,
        "entered_by_id": staff.coordinator.pk, "agency_type": agency,
        "agency_name": "Example & Co Solicitors" if agency == AgencyType.SOLICITOR else "",
        "received_on": received,
        "court_order": rng.choice(["", "Child arrangements order: supervised, fortnightly."]),
        "risk_domestic_abuse": rng.choice(["yes", "no", "unknown"]),
        "risk_abduction": rng.choice(["no", "no", "unknown"]),
        "risk_substance_misuse": rng.choice(["no", "no", "yes"]),
        "risk_mental_health": rng.choice(["no", "unknown"]),
        "risk_details": rng.choice(["", "", "Non-molestation order in place."]),
        "contact_type": contact_type, "status": plan.referral_status,
    }  # fmt: skip
    if plan.referral_status != Referral.Status.PENDING:
        decided = received + datetime.timedelta(days=7)
        values["decided_by_id"] = staff.coordinator.pk
        values["decided_at"] = aware(decided, datetime.time(11))
        if plan.referral_status == Referral.Status.DECLINED:
            values["decline_reason"] = "The centre cannot offer supervised contact on Saturdays."
        else:
            review = add_months(decided, 6)
            while review < today - datetime.timedelta(days=14):
                values["last_reviewed_on"], review = review, add_months(review, 6)
            values["review_due"] = review
    rows[Referral].add(sealer, **values)


def _concern(rows: Rows, sealer, family_id, centre, plan, by: User, rng) -> None:
    closed = rng.random() < 0.6
    rows[Concern].add(
        sealer, family_id=family_id, centre_id=centre.pk, kind=rng.choice(CONCERN_KINDS),
        raised_by_id=by.pk, raised_at=plan.created + datetime.timedelta(days=30),
        text=rng.choice(CONCERN_TEXTS),
        status=Concern.Status.CLOSED if closed else Concern.Status.OPEN,
        closed_by_id=by.pk if closed else None,
        closed_at=plan.created + datetime.timedelta(days=40) if closed else None,
        outcome="Talked to both parents; handover times changed." if closed else "",
    )  # fmt: skip
