"""The benchmark families, a centre at a time, with everything a real case accumulates:
adults and children, a referral (some pending, some declined, reviews kept up), sessions
(older families have more) with one attendance row per adult and per child (planned as the
keep-apart scheduler plans them; past ones with outcomes and actual times), keep-apart flags,
concerns, rules acknowledgements, the volunteers on each booked session's rota, and the
search hashes of its names (families.NameToken) with its sealed line of names for the lists.
Each family has its own data key, and its reference is numbered as families.services numbers
them."""

import datetime
import math
import random
from dataclasses import dataclass, field

from django.utils import timezone

from cccc.models import Centre, DataKey, User
from families import name_index
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    ContactType,
    Family,
    KeepApart,
    NameToken,
    ReferenceCounter,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    add_months,
)
from families.models.referral import AgencyType
from families.names import Person, people_line
from tools.benchmark_centres import Staff, ensure_rooms, rota_rows
from tools.benchmark_copy import insert_objects, insert_rows, unsaved_data_key
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


def add_families(centre: Centre, staff: Staff, count: int, rng: random.Random) -> None:
    """Add `count` families to `centre` with everything a real case accumulates."""
    now, today = timezone.now(), timezone.localdate()
    plans = sorted((_plan_family(rng, now) for _ in range(count)), key=lambda p: p.created)
    _spread_sessions(plans, SESSIONS_PER_FAMILY * count, rng, today)
    keys = [unsaved_data_key() for _ in plans]
    insert_objects(DataKey, keys)
    families = _families(centre, plans, keys)
    rooms = ensure_rooms(centre)

    adults, children, referrals, concerns, sessions = [], [], [], [], []
    people = []  # (adults, children) of each family
    for family, plan in zip(families, plans, strict=True):
        people.append(_people(family, plan, rng, today, first=len(adults)))
        adults += people[-1][0]
        children += people[-1][1]
        family.people_names = people_line(
            [Person(a.first_name, a.last_name, child=False) for a in people[-1][0]]
            + [Person(c.first_name, c.last_name, child=True) for c in people[-1][1]]
        )
        referrals.append(_referral(family, plan, staff, rng, today))
        if plan.concern:
            concerns.append(_concern(family, plan, staff.coordinator, rng))
        sessions += _sessions(
            family, plan, referrals[-1].contact_type, staff.coordinator, rng, rooms
        )
    for model, objs in (
        (Family, families), (Adult, adults), (Child, children), (Referral, referrals),
        (Concern, concerns), (ContactSession, sessions),
    ):  # fmt: skip
        insert_objects(model, objs)
    _insert_plain_rows(families, plans, people, sessions, staff.coordinator, rng)
    insert_rows(NameToken, ["centre_id", "family_id", "token"], name_token_rows(families, people))
    insert_rows(
        RotaEntry,
        ["session_id", "volunteer_id", "session_date", "volunteer_cleared_until",
         "assigned_by_id", "assigned_at"],
        rota_rows(centre, sessions, staff.coordinator, rng),
    )  # fmt: skip


def name_token_rows(families: list[Family], people: list[tuple[list, list]]) -> list[tuple]:
    """The search hashes of every family's names, as families/name_index_services.py writes
    them, from the names still in the unsaved instances (COPY sealed a copy of each)."""
    rows = []
    for family, (adults, children) in zip(families, people, strict=True):
        tokens: set[int] = set()
        for person in [*adults, *children]:
            born = person.date_of_birth if isinstance(person, Child) else None
            tokens |= name_index.person_tokens(
                family.centre_id, person.first_name, person.last_name, born,
                child=isinstance(person, Child),
            )  # fmt: skip
        rows += [(family.centre_id, family.pk, token) for token in sorted(tokens)]
    return rows


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
        centre_id=family.centre_id,
        kind=rng.choice(Concern.Kind.values),
        raised_by=by,
        raised_at=plan.created + datetime.timedelta(days=30),
        text=rng.choice(CONCERN_TEXTS),
        status=Concern.Status.CLOSED if closed else Concern.Status.OPEN,
        closed_by=by if closed else None,
        closed_at=plan.created + datetime.timedelta(days=40) if closed else None,
        outcome="Talked to both parents; handover times changed." if closed else "",
    )


def _sessions(family, plan: FamilyPlan, contact_type: str, by: User, rng, rooms) -> list:
    """The family's sessions, each in one of the centre's rooms (chosen at random: the data
    is for timing pages, so a room may hold more than its capacity); its last activity moves
    with each booking and attendance."""
    now, sessions = timezone.now(), []
    for day in plan.sessions:
        starts = rng.choice(STARTS)
        booked = aware(day, starts) - datetime.timedelta(days=rng.randint(7, 28))
        booked = min(max(booked, plan.created), now)
        cancelled = rng.random() < 0.05
        sessions.append(
            ContactSession(
                family=family,
                centre_id=family.centre_id,
                date=day,
                starts_at=starts,
                ends_at=add_minutes(starts, rng.choice([60, 90, 120])),
                room=rng.choice(rooms),
                contact_type=contact_type,
                status=ContactSession.Status.CANCELLED
                if cancelled
                else ContactSession.Status.BOOKED,
                instructions=rng.choice(INSTRUCTIONS),
                booked_by=by,
                booked_at=booked,
            )
        )
        held = min(aware(day, datetime.time(18)), now)
        family.last_activity = max(family.last_activity, booked, held)
    return sessions


def _referral(family, plan: FamilyPlan, staff: Staff, rng: random.Random, today) -> Referral:
    agency = rng.choice(AgencyType.values)
    received = plan.created.date()
    referral = Referral(
        family=family,
        centre_id=family.centre_id,
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
        referral.decided_at = aware(decided, datetime.time(11))
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
                add_minutes(start, -gap - handover), add_minutes(start, -gap),
                add_minutes(end, gap), add_minutes(end, gap + handover),
            )  # fmt: skip
        elif brings:
            times = (add_minutes(start, -gap), None, None, add_minutes(end, gap))
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
