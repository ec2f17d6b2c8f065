"""Demo families for each demo centre: its rooms, and families referred by the demo referrer,
accepted, with sessions today and this week booked through the keep-apart scheduler and the
room rules, and a repeat series for one of them. Every name, address and phone number is
invented (Ofcom's drama numbers, 07700 900xxx). Idempotent; services only."""

import datetime

from django.utils import timezone

from cccc.models import Centre, Role, User
from families import room_services, series_services, services, session_services
from families.models import Adult, Child, Referral, Room, Series
from families.name_index_services import name_index_rebuild

FAMILIES = [
    # (resident parent, non-resident parent, child, keep apart?, contact start hour)
    (("Amira", "Holloway"), ("Dean", "Holloway"), ("Maya", 6), True, 10),
    (("Grace", "Okafor"), ("Tunde", "Okafor"), ("Ayo", 9), False, 13),
    (("Sian", "Pritchard"), ("Mark", "Ellison"), ("Rhys", 4), True, 15),
]


ROOMS = [("Garden room", 1), ("Blue room", 1), ("Hall", 6)]


def _rooms(centre: Centre, coordinator: User) -> dict[str, Room]:
    for name, capacity in ROOMS:
        if not centre.rooms.filter(name=name).exists():
            room_services.room_create(centre=centre, name=name, capacity=capacity, by=coordinator)
    return {room.name: room for room in centre.rooms.all()}


def _adult(role: str, first: str, last: str, n: int) -> Adult:
    return Adult(
        role=role,
        first_name=first,
        last_name=last,
        address=f"{n} Example Road, Demo Town",
        phone=f"07700 900{n:03d}",
        email=f"{first.lower()}.{last.lower()}@example.org",
    )


def build_demo_families(centre: Centre, users: dict[str, User]) -> None:
    if centre.families.exists():
        # A demo database made before names were indexed: index them, once.
        name_index_rebuild(centre=centre, missing_only=True)
        return
    coordinator, referrer = users[Role.COORDINATOR], users[Role.REFERRER]
    today = timezone.localdate()
    rooms = _rooms(centre, coordinator)
    for n, (resident, visitor, child, keep_apart, hour) in enumerate(FAMILIES, start=1):
        referral = services.referral_submit(
            centre=centre,
            entered_by=referrer,
            referrer=referrer,
            referral=Referral(
                agency_type="solicitor",
                agency_name=referrer.agency or "Demo Family Law LLP",
                court_order="Child arrangements order: supervised contact, fortnightly.",
                risk_domestic_abuse="yes" if keep_apart else "no",
                risk_abduction="no",
                risk_substance_misuse="no",
                risk_mental_health="unknown",
                contact_type="supervised" if keep_apart else "supported",
            ),
            adults=[
                _adult(Adult.Role.RESIDENT_PARENT, *resident, n * 10 + 1),
                _adult(Adult.Role.NON_RESIDENT_PARENT, *visitor, n * 10 + 2),
            ],
            children=[
                Child(
                    first_name=child[0],
                    last_name=resident[1],
                    date_of_birth=today.replace(year=today.year - child[1], day=1),
                )
            ],
        )
        family = referral.family
        services.referral_decide(referral=referral, by=coordinator, accept=True)
        mum, dad = family.adults.order_by("pk")
        if keep_apart:
            services.keep_apart_flag(first=mum, second=dad, by=coordinator)
        services.acknowledgement_record(
            adult=mum,
            acknowledged_on=today,
            by=coordinator,
            no_recording=True,
            no_discussing_others=True,
        )
        for days in (0, 2, 7):
            session_services.session_book(
                family=family,
                date=today + datetime.timedelta(days=days),
                starts_at=datetime.time(hour),
                ends_at=datetime.time(hour + 1, 30),
                contact_type=referral.contact_type,
                adults=[mum, dad],
                bringing=mum,
                booked_by=coordinator,
                room=rooms["Garden room"],
                instructions="Meet at the side door; the child likes drawing.",
            )
        if not keep_apart:
            # Every week from the fortnight after next, in the hall, for four sessions.
            pattern = series_services.Pattern(
                every=Series.Every.WEEK,
                first_date=today + datetime.timedelta(days=14),
                until=None,
                count=4,
                starts_at=datetime.time(hour),
                ends_at=datetime.time(hour + 1, 30),
                room=rooms["Hall"],
                contact_type=referral.contact_type,
                adults=[mum, dad],
                bringing=mum,
            )
            preview = series_services.series_preview(family=family, pattern=pattern, by=coordinator)
            series_services.series_book(
                family=family, pattern=pattern, dates=preview.bookable, booked_by=coordinator
            )
