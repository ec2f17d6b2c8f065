"""Where each family and volunteer of a centre stands on a day (SPEC §8, CHE-DP5): due
(destroyed by the next run), flagged (due within rules.FLAG_DAYS), held (under a legal hold,
retention/holds.py) or kept longer; and the coordinator's decision to keep one longer.

Families are reviewed by last activity, volunteers by resignation, against the centre's
periods (retention/rules.py). Retention sees IDs, references and dates only.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from cccc.access import holds_role
from cccc.audit import access_log_record
from cccc.dates import add_years
from cccc.models import AccessLog, Centre, Membership, Role, User
from families.models import Family
from retention import accounts, leftovers, rules
from retention.holds import holds_for
from retention.models import KeepLonger, RecordType
from volunteers.models import Volunteer

MAX_KEEP_YEARS = 10
CHUNK = 1000  # records per holds query


@dataclass(frozen=True)
class Item:
    """One family or volunteer as retention sees it: IDs, reference and dates only."""

    record_type: str
    record_id: int
    centre_id: int
    reference: str
    clock_started_on: datetime.date
    due_on: datetime.date
    reasons: tuple[str, ...] = ()
    kept_until: datetime.date | None = None

    @property
    def destroy_on(self) -> datetime.date:
        return max(self.due_on, self.kept_until) if self.kept_until else self.due_on


@dataclass
class Review:
    """Where each record of a centre stands on a day."""

    due: list[Item] = field(default_factory=list)  # destroyed by the next run
    flagged: list[Item] = field(default_factory=list)  # due within FLAG_DAYS
    held: list[Item] = field(default_factory=list)  # due or nearly, under a legal hold
    kept: list[Item] = field(default_factory=list)  # kept longer, review not yet near

    def extend(self, other: "Review") -> None:
        for name in ("due", "flagged", "held", "kept"):
            getattr(self, name).extend(getattr(other, name))


def volunteer_reference(pk: int) -> str:
    return f"VOL-{pk}"


_T = TypeVar("_T")


def chunks(items: list[_T], size: int) -> Iterable[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# The rules below all have a period (a Centre setting that is never null), so their
# last_clock_day_due and due_on give dates: the casts only tell mypy so.


def _by_clock(
    rule: rules.Rule, centres: list[Centre], today: datetime.date, lookup: str, *, moment: bool
) -> Q:
    """Records of any of `centres` whose clock started by the last day each centre's period
    flags on `today`: one condition per period in use (a few), so one query for the network.
    `lookup` is the clock, a moment (compared with the start of the next day) or a date."""
    flag_day = today + datetime.timedelta(days=rules.FLAG_DAYS)
    groups: dict[datetime.date, list[int]] = defaultdict(list)
    for centre in centres:
        groups[cast(datetime.date, rule.last_clock_day_due(centre, flag_day))].append(centre.pk)
    where = Q(pk__in=[])  # matches nothing: no centre, no record
    for day, centre_ids in sorted(groups.items()):
        bound = rules.start_of_day_after(day) if moment else day
        where |= Q(centre_id__in=centre_ids, **{f"{lookup}__{'lt' if moment else 'lte'}": bound})
    return where


def _family_candidates(centres: dict[int, Centre], today: datetime.date) -> list[Item]:
    where = _by_clock(rules.FAMILY, list(centres.values()), today, "last_activity", moment=True)
    rows = (
        Family.objects.filter(where)
        .order_by("pk")
        .values_list("pk", "centre_id", "reference", "last_activity")
    )
    items = []
    for pk, centre_id, reference, last_activity in rows:
        clock = rules.local_day(last_activity)
        due_on = cast(datetime.date, rules.FAMILY.due_on(centres[centre_id], clock))
        items.append(Item(RecordType.FAMILY, pk, centre_id, reference, clock, due_on))
    return items


def _volunteer_candidates(centres: dict[int, Centre], today: datetime.date) -> list[Item]:
    where = _by_clock(rules.VOLUNTEER, list(centres.values()), today, "resigned_on", moment=False)
    rows = (
        Volunteer.objects.filter(where, status=Volunteer.Status.RESIGNED)
        .order_by("pk")
        .values_list("pk", "centre_id", "resigned_on")
    )
    return [
        Item(
            RecordType.VOLUNTEER,
            pk,
            centre_id,
            volunteer_reference(pk),
            resigned_on,
            cast(datetime.date, rules.VOLUNTEER.due_on(centres[centre_id], resigned_on)),
        )
        # resigned_on__lte above keeps only rows with a date.
        for pk, centre_id, resigned_on in cast(Iterable[tuple[int, int, datetime.date]], rows)
    ]


def _standalone_candidates(
    centres: dict[int, Centre], today: datetime.date, record_type: str
) -> list[Item]:
    kind = leftovers.STANDALONE[record_type]
    where = _by_clock(kind.rule, list(centres.values()), today, kind.clock_field, moment=True)
    return [
        Item(
            record_type,
            pk,
            centre_id,
            kind.reference(pk),
            clock,
            cast(datetime.date, kind.rule.due_on(centres[centre_id], clock)),
        )
        for pk, centre_id, clock in kind.candidates_where(where)
    ]


def _referrer_candidates(centres: dict[int, Centre], today: datetime.date) -> list[Item]:
    rule = rules.REFERRER_ACCOUNT
    where = _by_clock(rule, list(centres.values()), today, "last_used", moment=True)
    return [
        Item(
            RecordType.REFERRER_ACCOUNT,
            pk,
            centre_id,
            accounts.account_reference(pk),
            clock,
            cast(datetime.date, rule.due_on(centres[centre_id], clock)),
        )
        for pk, centre_id, clock in accounts.referrer_candidates_where(where)
    ]


def keep_longer_dates(record_type: str, ids: list[int]) -> dict[int, datetime.date]:
    if record_type not in (RecordType.FAMILY, RecordType.VOLUNTEER):
        return {}  # only families and volunteers are kept longer
    column = "family_id" if record_type == RecordType.FAMILY else "volunteer_id"
    return dict(
        KeepLonger.objects.filter(**{f"{column}__in": ids}).values_list(column, "review_on")
    )


def _classify(candidates: list[Item], today: datetime.date) -> Review:
    review = Review()
    flag_until = today + datetime.timedelta(days=rules.FLAG_DAYS)
    for chunk in chunks(candidates, CHUNK):
        record_type = chunk[0].record_type
        ids = [item.record_id for item in chunk]
        holds = holds_for(record_type, ids)
        kept = keep_longer_dates(record_type, ids)
        for item in chunk:
            reasons = holds.get(item.record_id)
            until = kept.get(item.record_id)
            if until is not None and until > today:
                item = replace(item, kept_until=until)
            if reasons:
                review.held.append(replace(item, reasons=tuple(reasons)))
            elif item.destroy_on <= today:
                review.due.append(item)
            elif item.destroy_on <= flag_until:
                review.flagged.append(item)
            else:
                review.kept.append(item)
    return review


def centres_to_review(centres: list[Centre], today: datetime.date) -> list[Centre]:
    """The centres that hold any record which could be due, flagged, held or kept longer:
    one query per kind of record for the whole network, at the latest clock day any centre's
    periods allow, so a superset of what `retention_review` finds (a centre left out has an
    empty review). A night with nothing due then reads no centre's records one by one: at
    350 centres, five queries a centre took seconds (issue 19, point 5)."""
    flag_day = today + datetime.timedelta(days=rules.FLAG_DAYS)

    def last_day(rule: rules.Rule) -> datetime.date | None:
        days = [day for c in centres if (day := rule.last_clock_day_due(c, flag_day))]
        return max(days) if days else None

    found: set[int] = set()
    if day := last_day(rules.FAMILY):
        at = rules.start_of_day_after(day)
        found |= set(
            Family.objects.filter(last_activity__lt=at)
            .values_list("centre_id", flat=True)
            .distinct()
        )
    if day := last_day(rules.VOLUNTEER):
        found |= set(
            Volunteer.objects.filter(status=Volunteer.Status.RESIGNED, resigned_on__lte=day)
            .values_list("centre_id", flat=True)
            .distinct()
        )
    for kind in leftovers.STANDALONE.values():
        if day := last_day(kind.rule):
            at = rules.start_of_day_after(day)
            found |= set(
                kind.model.objects.filter(family__isnull=True, **{f"{kind.clock_field}__lt": at})
                .values_list("centre_id", flat=True)
                .distinct()
            )
    if day := last_day(rules.REFERRER_ACCOUNT):  # erased accounts too: a superset is enough
        at = rules.start_of_day_after(day)
        found |= set(
            Membership.objects.filter(role=Role.REFERRER)
            .annotate(last_used=Coalesce("user__last_login", "user__date_joined"))
            .filter(last_used__lt=at)
            .values_list("centre_id", flat=True)
            .distinct()
        )
    return [centre for centre in centres if centre.pk in found]


def retention_review(*, centre: Centre, today: datetime.date | None = None) -> Review:
    """Families, volunteers, legal records with no family and referrers' accounts of one
    centre that are due, flagged, held or kept longer."""
    return retention_reviews([centre], today or timezone.localdate())


def retention_reviews(centres: list[Centre], today: datetime.date) -> Review:
    """As `retention_review`, for several centres at once, each record against its own
    centre's periods: a few queries whatever the number of centres (the nightly run)."""
    by_id = {centre.pk: centre for centre in centres}
    review = _classify(_family_candidates(by_id, today), today)
    review.extend(_classify(_volunteer_candidates(by_id, today), today))
    for record_type in leftovers.STANDALONE:
        review.extend(_classify(_standalone_candidates(by_id, today, record_type), today))
    review.extend(_classify(_referrer_candidates(by_id, today), today))
    for items in (review.due, review.flagged, review.held, review.kept):
        items.sort(
            key=lambda item: (item.destroy_on, item.record_type, item.record_id, item.centre_id)
        )
    return review


# --- keep longer ----------------------------------------------------------------------------


@transaction.atomic
def keep_longer_record(
    *,
    by: User,
    reason: str,
    review_on: datetime.date,
    family: Family | None = None,
    volunteer: Volunteer | None = None,
) -> KeepLonger:
    """Keep one family or volunteer past its retention date until `review_on`, for a reason
    (sealed under the record's own key). Recording it again replaces the decision."""
    # Exactly one of family and volunteer is given (checked just below).
    record = cast("Family | Volunteer", family or volunteer)
    if (family is None) == (volunteer is None):
        raise ValueError("Name exactly one family or volunteer.")
    if not holds_role(by, record.centre_id, Role.COORDINATOR):
        raise ValidationError("Only a coordinator of the record's centre may keep it longer.")
    today = timezone.localdate()
    errors = {}
    if not reason.strip():
        errors["reason"] = "Say why the record must be kept longer."
    if review_on <= today:
        errors["review_on"] = "The review date must be after today."
    elif review_on > add_years(today, MAX_KEEP_YEARS):
        errors["review_on"] = f"Review it within {MAX_KEEP_YEARS} years."
    if errors:
        raise ValidationError(errors)
    keep = (
        KeepLonger.objects.filter(family=family)
        if family
        else KeepLonger.objects.filter(volunteer=volunteer)
    ).first() or KeepLonger(
        centre_id=record.centre_id, family=family, volunteer=volunteer, data_key=record.data_key
    )
    keep.reason = reason.strip()
    keep.review_on = review_on
    keep.recorded_by = by
    keep.recorded_at = timezone.now()
    keep.full_clean()
    keep.save()
    access_log_record(
        user=by,
        action=AccessLog.Action.RETENTION_KEEP,
        record=keep,
        detail=f"{'family' if family else 'volunteer'}={record.pk} review_on={review_on}",
    )
    return keep
