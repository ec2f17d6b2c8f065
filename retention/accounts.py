"""Sign-in accounts at destruction: erased and replaced, everywhere (README, Retention job).

With memberships (issue 19) what a centre's retention destroys is the person's MEMBERSHIP at
that centre (`memberships_end`): the account itself goes only when the person has no other
membership left, so a referrer of two centres, unused at one, keeps working at the other.

A destroyed volunteer's account, and a referrer's account unused for the centre's family
period, once they have no membership left, keep their row (notes, entries and decisions they
made point at it) but lose who they were: the name becomes "Former volunteer VOL-12" or
"Former referrer ACC-40", the email an address that cannot exist, the agency, password and
authenticators go, and so do the account's history rows, its sessions, django-axes' sign-in
attempts under its email, and the name in any admin log entry about it (the admin writes
none now: cccc/admin.py).
"""

import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest, Lower
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, Membership, Role, User
from cccc.session_store import live_sessions, session_end
from retention import plan as ownership_plan
from retention import rules

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

ERASED_DOMAIN = "invalid.example"


def account_reference(pk: int) -> str:
    return f"ACC-{pk}"


def accounts_erase(names: dict[int, str]) -> None:
    """Erase the accounts {user id: the name that replaces theirs}, in the caller's
    transaction."""
    if not names:
        return
    ids = list(names)
    emails = [e.lower() for e in User.objects.filter(pk__in=ids).values_list("email", flat=True)]
    for model in (AccessAttempt, AxesAccessLog, AccessFailureLog):
        model.objects.annotate(username_lower=Lower("username")).filter(
            username_lower__in=emails
        ).delete()
    for user_id, name in names.items():
        User.objects.filter(pk=user_id).update(
            full_name=name,
            email=f"destroyed-account-{user_id}@{ERASED_DOMAIN}",
            agency="",
            password=make_password(None),
            is_active=False,
        )
    TOTPDevice.objects.filter(user_id__in=ids).delete()
    ownership_plan.delete_rows(User.history.model, "id", ids)
    user_type = ContentType.objects.get_for_model(User)
    for user_id in ids:
        LogEntry.objects.filter(content_type=user_type, object_id=str(user_id)).update(
            object_repr=f"user #{user_id}"
        )
    _sessions_end(set(map(str, ids)))


def _sessions_end(user_ids: set[str]) -> None:
    for session, data in live_sessions():
        if data.get("_auth_user_id") in user_ids:
            session_end(session.session_key)


def memberships_end(names: dict[int, str], centre: Centre, role: str) -> list[int]:
    """Destroy the `role` memberships of these people {user id: the name that replaces
    theirs} at the centre, and erase the accounts left with no
    membership at all (accounts_erase), in the caller's transaction. The person's other
    memberships, and an account still used through them, stay. Returns the ids erased."""
    if not names:
        return []
    # The membership's history rows stay: they hold ids, a centre and a role, no personal
    # data, and past quarters' staff counts are read from them (retention.quarterly); the
    # delete adds the row saying it ended.
    Membership.objects.filter(user_id__in=list(names), centre=centre, role=role).delete()
    still_member = set(
        Membership.objects.filter(user_id__in=list(names)).values_list("user_id", flat=True)
    )
    erased = {pk: name for pk, name in names.items() if pk not in still_member}
    accounts_erase(erased)
    return sorted(erased)


# --- referrers' accounts --------------------------------------------------------------------


class _LastUsed(TypedDict):  # what _referrers annotates each membership with
    last_used: datetime.datetime


def _referrer_memberships() -> "QuerySet[WithAnnotations[Membership, _LastUsed]]":
    """Referrer memberships not erased, each with when it was last used: the person's last
    sign-in (or, never signed in, the day the account was made), and never before the
    membership was given (a referrer invited here yesterday is new here, whatever their
    account's age)."""
    return cast(
        "QuerySet[WithAnnotations[Membership, _LastUsed]]",
        Membership.objects.filter(role=Role.REFERRER)
        .exclude(user__email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(
            last_used=Greatest(Coalesce("user__last_login", "user__date_joined"), "created_at")
        ),
    )


def _referrers(
    centre: Centre, last_clock_day: datetime.date
) -> "QuerySet[WithAnnotations[Membership, _LastUsed]]":
    """The centre's referrer memberships last used by that day."""
    return _referrer_memberships().filter(
        centre=centre, last_used__lt=rules.start_of_day_after(last_clock_day)
    )


def referrer_candidates_where(where: Q) -> list[tuple[int, int, datetime.date]]:
    """(account id, centre id, day last used) of each referrer membership matching `where`
    (centres and bounds on `last_used`: retention.review)."""
    rows = (
        _referrer_memberships()
        .filter(where)
        .order_by("user_id", "centre_id")
        .values_list("user_id", "centre_id", "last_used")
    )
    return [(pk, centre_id, rules.local_day(used)) for pk, centre_id, used in rows]


def referrer_candidates(
    centre: Centre, last_clock_day: datetime.date
) -> list[tuple[int, datetime.date]]:
    """(account id, day last used) of each referrer membership at the centre last used by
    that day (the account's id is the item's record id, ACC-<id>)."""
    rows = (
        _referrers(centre, last_clock_day).order_by("user_id").values_list("user_id", "last_used")
    )
    return [(pk, rules.local_day(used)) for pk, used in rows]


def referrers_still_due(ids: list[int], centre: Centre, today: datetime.date) -> set[int]:
    # The rule has a period (a Centre setting never null), so a day is due.
    last_due = cast(datetime.date, rules.REFERRER_ACCOUNT.last_clock_day_due(centre, today))
    fresh = _referrers(centre, last_due).select_for_update(of=("self",)).filter(Q(user_id__in=ids))
    return set(fresh.values_list("user_id", flat=True))


def referrers_erase(ids: list[int], centre: Centre | None = None) -> None:
    """Destroy these people's referrer memberships at the centre; erase the accounts left
    with no membership (a referrer still referring to another centre keeps their account).

    Without the centre (a caller not yet converted to memberships) only the accounts whose
    one membership is a referrer's are destroyed, with it; a person with several is left
    untouched, never erased while another centre uses the account."""
    names = {pk: f"Former referrer {account_reference(pk)}" for pk in ids}
    if centre is not None:
        memberships_end(names, centre, Role.REFERRER)
        return
    single = (
        Membership.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(count=Count("pk"), referrer=Count("pk", filter=Q(role=Role.REFERRER)))
        .filter(count=1, referrer=1)
        .values_list("user_id", flat=True)
    )
    for membership in Membership.objects.filter(user_id__in=list(single)).select_related("centre"):
        memberships_end(
            {membership.user_id: names[membership.user_id]},
            cast(Centre, membership.centre),
            Role.REFERRER,
        )
