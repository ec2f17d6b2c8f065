"""Sign-in accounts at destruction: erased and replaced, everywhere (README, Retention job).

A destroyed volunteer's account, and a referrer's account unused for the centre's family
period, keep their row (notes, entries and decisions they made point at it) but lose who they
were: the name becomes "Former volunteer VOL-12" or "Former referrer ACC-40", the email an
address that cannot exist, the agency, password and authenticators go, and so do the
account's history rows, its sessions, django-axes' sign-in attempts under its email, and the
name in any admin log entry about it (the admin writes none now: cccc/admin.py).
"""

import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, Lower
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, Role, User
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


# --- referrers' accounts --------------------------------------------------------------------


class _LastUsed(TypedDict):  # what _referrers annotates each account with
    last_used: datetime.datetime


def _referrers(
    centre: Centre, last_clock_day: datetime.date
) -> "QuerySet[WithAnnotations[User, _LastUsed]]":
    referrers: QuerySet[WithAnnotations[User, _LastUsed]] = (
        User.objects.filter(centre=centre, role=Role.REFERRER)
        .exclude(email__endswith=f"@{ERASED_DOMAIN}")
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=rules.start_of_day_after(last_clock_day))
    )
    return referrers


def referrer_candidates(
    centre: Centre, last_clock_day: datetime.date
) -> list[tuple[int, datetime.date]]:
    """(id, day last used) of each referrer's account last used by that day."""
    rows = _referrers(centre, last_clock_day).order_by("pk").values_list("pk", "last_used")
    return [(pk, rules.local_day(used)) for pk, used in rows]


def referrers_still_due(ids: list[int], centre: Centre, today: datetime.date) -> set[int]:
    # The rule has a period (a Centre setting never null), so a day is due.
    last_due = cast(datetime.date, rules.REFERRER_ACCOUNT.last_clock_day_due(centre, today))
    fresh = _referrers(centre, last_due).select_for_update().filter(Q(pk__in=ids))
    return set(fresh.values_list("pk", flat=True))


def referrers_erase(ids: list[int]) -> None:
    accounts_erase({pk: f"Former referrer {account_reference(pk)}" for pk in ids})
