"""The benchmark centres, their rooms and the people who work there: one coordinator
(confirmed TOTP device) and one referrer per centre, one operator for the installation, and
the volunteers with their DBS checks, when they are usually available, and their places on
the rota of every booked session."""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, DataKey, Membership, PolicyVariant, Role, User
from families.models import ContactSession, ContactType, Room, add_months
from tools.benchmark_copy import insert_objects, unsaved_data_key
from tools.benchmark_values import FIRST_NAMES, ROOMS, SURNAME_WEIGHTS, SURNAMES, aware
from volunteers.models import DbsCheck, DbsLevel, DbsOutcome, Volunteer, VolunteerAvailability

FAMILIES_PER_VOLUNTEER = 25  # 40 volunteers for a centre of 1,000 families
OPERATOR_EMAIL = "operator@bench.example"


@dataclass
class Staff:
    coordinator: User
    referrer: User


def centre_code(number: int, count: int) -> str:
    """B01 to B20; B001 to B350 for a network of a hundred centres or more (so the codes,
    and the references that start with them, sort in number order)."""
    return f"B{number:0{max(2, len(str(count)))}d}"


def ensure_centres(count: int) -> dict[int, Staff]:
    """`count` bench centres, each with its five rooms, one coordinator (confirmed TOTP
    device) and one referrer, plus one operator for the whole installation. What is missing
    is made in a few bulk inserts (a network has 350 centres)."""
    codes = [centre_code(number, count) for number in range(1, count + 1)]
    have = {c.code: c for c in Centre.objects.filter(code__in=codes)}
    variants = [PolicyVariant.CHICHESTER, PolicyVariant.CHESTERFIELD]
    made = Centre.objects.bulk_create(
        [
            Centre(
                code=code, name=f"Bench Contact Centre {code[1:]}", slug=f"bench-{code[1:]}",
                policy_variant=variants[number % 2],
            )
            for number, code in enumerate(codes, start=1)
            if code not in have
        ]
    )  # fmt: skip
    Room.objects.bulk_create(
        [Room(centre=c, name=name, capacity=capacity) for c in made for name, capacity in ROOMS]
    )
    centres = [*have.values(), *made]
    people = [
        (f"{kind}@{c.code.lower()}.bench.example", role, c, f"{label} {c.code}")
        for c in centres
        for kind, role, label in (
            ("coordinator", Role.COORDINATOR, "Coord"), ("referrer", Role.REFERRER, "Referrer")
        )
    ]  # fmt: skip
    users = _users([*people, (OPERATOR_EMAIL, Role.OPERATOR, None, "Bench Operator")])
    return {
        c.pk: Staff(
            coordinator=users[f"coordinator@{c.code.lower()}.bench.example"],
            referrer=users[f"referrer@{c.code.lower()}.bench.example"],
        )
        for c in centres
    }


def _users(wanted: list[tuple]) -> dict[str, User]:
    """The users by email, the missing ones made as create_user makes them (no usable
    password: the benchmarks sign them in directly), each who needs two-factor with a
    confirmed TOTP device."""
    users = {u.email: u for u in User.objects.filter(email__in=[w[0] for w in wanted])}
    missing = []
    for email, role, centre, name in wanted:
        if email not in users:
            extra = {"is_staff": True, "is_superuser": True} if role == Role.OPERATOR else {}
            user = User(email=email, role=role, centre=centre, full_name=name, **extra)
            user.set_unusable_password()
            missing.append(user)
    made = User.objects.bulk_create(missing)
    # Each person's one membership (bulk_create saves no membership of its own).
    Membership.objects.bulk_create(
        [Membership(user=u, role=u.membership.role, centre=u.membership.centre) for u in made]  # type: ignore[union-attr]
    )
    TOTPDevice.objects.bulk_create(
        [TOTPDevice(user=u, name="bench", confirmed=True) for u in made if u.needs_two_factor]
    )
    return users | {u.email: u for u in made}


def ensure_rooms(centre: Centre) -> list[Room]:
    """The centre's five rooms (a handful of rows: written as any room is, not by COPY)."""
    for name, capacity in ROOMS:
        Room.objects.get_or_create(centre=centre, name=name, defaults={"capacity": capacity})
    return list(Room.objects.filter(centre=centre, name__in=[name for name, _ in ROOMS]))


def add_volunteers(centre: Centre, staff: Staff, families: int, rng: random.Random) -> None:
    """Top the centre up to one volunteer per FAMILIES_PER_VOLUNTEER families: nine in ten
    appointed, each with a clear enhanced DBS check renewed every three years (so a few fall
    due within the dashboard's sixty days), the rest resigned."""
    today = timezone.localdate()
    want = max(families // FAMILIES_PER_VOLUNTEER, 4)
    have = Volunteer.objects.filter(centre=centre).count()
    if have >= want:
        return
    keys = [unsaved_data_key() for _ in range(want - have)]
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
                recorded_at=aware(issued, datetime.time(12)),
            )
        )
    insert_objects(Volunteer, volunteers)
    insert_objects(DbsCheck, checks)
    insert_objects(VolunteerAvailability, _availability(volunteers, rng))


def _availability(volunteers: list[Volunteer], rng: random.Random) -> list:
    """When each volunteer is usually free, as they say in the portal: one to three mornings,
    afternoons or evenings on different days of the week."""
    windows = []
    for volunteer in volunteers:
        for weekday in rng.sample(range(7), rng.randint(1, 3)):
            starts = rng.choice([9, 13, 17])
            windows.append(
                VolunteerAvailability(
                    volunteer=volunteer,
                    weekday=weekday,
                    starts_at=datetime.time(starts),
                    ends_at=datetime.time(starts + 4),
                )
            )
    return windows


def rota_rows(centre: Centre, sessions: list, by: User, rng: random.Random, *, text=False) -> list:
    """Volunteers on every booked session: the centre's cover on nine in ten, one short on
    the rest. A volunteer's clearance is copied as the services copy it at assignment.
    Tuples, or (`text`) COPY lines."""
    volunteers = list(
        Volunteer.objects.filter(centre=centre).values_list("pk", "clearance_expires")
    )
    needed = {
        ContactType.SUPERVISED: centre.supervised_cover,
        ContactType.SUPPORTED: centre.supported_cover,
    }
    rows, now = [], timezone.now()
    for session in sessions:
        if session.status != ContactSession.Status.BOOKED:
            continue
        count = needed[session.contact_type] - (rng.random() < 0.1)
        for pk, cleared in rng.sample(volunteers, min(max(count, 0), len(volunteers))):
            assigned = min(session.booked_at + datetime.timedelta(days=1), now)
            row = (session.pk, pk, session.date, max(cleared, session.date), by.pk, assigned)
            rows.append(
                f"{row[0]}\t{pk}\t{row[2].isoformat()}\t{row[3].isoformat()}\t{by.pk}\t"
                f"{assigned.isoformat()}"
                if text
                else row
            )
    return rows
