"""Demo data for development: two centres, one per seed policy, a user of every role, and
one person with a membership at each centre (a referrer to both: issue 19).

Idempotent: running it again changes nothing and prints the same logins. Later issues add
families, sessions and volunteers through `DEMO_BUILDERS`.
"""

import base64
import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, Membership, PolicyVariant, Role, User
from tools.demo_families import build_demo_families
from tools.demo_volunteers import build_demo_volunteers

DEMO_PASSWORD = "contact-centre-demo"  # noqa: S105 - printed for the developer on purpose

CENTRES = [
    {
        "slug": "chichester",
        "code": "CHI",
        "name": "Chichester Child Contact Centre (demo)",
        "policy_variant": PolicyVariant.CHICHESTER,
        "address": "Demo address, Chichester",
    },
    {
        "slug": "chesterfield",
        "code": "CHE",
        "name": "Chesterfield Child Contact Centre (demo)",
        "policy_variant": PolicyVariant.CHESTERFIELD,
        "address": "Demo address, Chesterfield",
    },
]
CENTRE_ROLES = [Role.COORDINATOR, Role.CHAIR, Role.VOLUNTEER, Role.REFERRER]
# One person, two memberships: a solicitor referring families to both demo centres, who
# chooses the centre with the switcher in the header (issue 19).
TWO_CENTRE_REFERRER = "referrer@two-centres.demo.example"


@dataclass
class DemoLogin:
    email: str
    role: str
    centre: str
    totp_secret: str | None


def demo_totp_key(email: str) -> str:
    """A fixed TOTP key per demo account (hex), so the printed secret never changes."""
    return hashlib.sha256(f"cccc demo totp {email}".encode()).hexdigest()[:40]


def b32_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode()


def _demo_user(email: str, full_name: str, role: str, centre: Centre | None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        extra = {"is_staff": True, "is_superuser": True} if role == Role.OPERATOR else {}
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=full_name,
            role=role,
            centre=centre,
            agency="Demo Family Law LLP" if role == Role.REFERRER else "",
            **extra,
        )
    if user.needs_two_factor:
        TOTPDevice.objects.get_or_create(
            user=user,
            name="Demo authenticator",
            defaults={"key": demo_totp_key(email), "confirmed": True},
        )
    return user


def _demo_policy(centre: Centre, coordinator: User) -> None:
    """The centre's confidentiality policy, in the project's own words (tools/demo_policies)."""
    from cccc.policies import policy_adopt
    from tools.demo_policies import TEXTS

    if not centre.policies.exists():
        policy_adopt(
            centre=centre,
            version="2026.1",
            text=TEXTS[centre.policy_variant],
            adopted_on=timezone.localdate() - datetime.timedelta(days=200),
            by=coordinator,
        )


# Callables taking (centre, users_by_role) that fill each demo centre, in order.
DEMO_BUILDERS: list = [build_demo_families]


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    logins = []
    operator = _demo_user("operator@demo.example", "Olu Operator", Role.OPERATOR, None)
    logins.append(
        DemoLogin(operator.email, "operator", "-", b32_secret(demo_totp_key(operator.email)))
    )
    centres: list[Centre] = []
    for spec in CENTRES:
        centre, _ = Centre.objects.get_or_create(slug=spec["slug"], defaults=spec)
        users = {}
        for role in CENTRE_ROLES:
            email = f"{role.value}@{centre.slug}.demo.example"
            name = f"{role.label} of {centre.code}"
            users[role] = user = _demo_user(email, name, role, centre)
            secret = b32_secret(demo_totp_key(email)) if user.needs_two_factor else None
            logins.append(DemoLogin(email, role.value, centre.name, secret))
        _demo_policy(centre, users[Role.COORDINATOR])
        for build in DEMO_BUILDERS:
            build(centre, users)
        # Volunteers last, so that they go on the rota of the sessions built above.
        build_demo_volunteers(centre, users)
        centres.append(centre)
    logins.append(_demo_two_centre_referrer(centres))
    return logins


def _demo_two_centre_referrer(centres: list[Centre]) -> DemoLogin:
    """A referrer at every demo centre: one account, one membership per centre."""
    person = _demo_user(TWO_CENTRE_REFERRER, "Rowan Two-Centres", Role.REFERRER, centres[0])
    for centre in centres[1:]:
        Membership.objects.get_or_create(
            user=person, centre=centre, defaults={"role": Role.REFERRER}
        )
    return DemoLogin(person.email, "referrer", " + ".join(centre.name for centre in centres), None)
