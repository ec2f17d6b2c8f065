"""Subject access: what the person receives, on screen, as JSON and as PDF (CHE-DP6, CHE-SAR).

Left out of the export: items the coordinator withheld (SarItemReview), and items that can
hold someone else's data or data held to prevent violence (`Item.review`) until the
coordinator has reviewed them (`sar_pending`): an item is released only by a decision, and
only as it was when reviewed (`item_digest`, `standing_reviews`): changed since, it is to
review again. The
export says, whatever the case, that information may be withheld where the law allows, so
that its absence reveals nothing. The PDF is drawn by disclosures/pdf.py from the same `Export`.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import dateformat, timezone

from cccc.models import User
from disclosures.models import SarItemReview, SubjectAccessRequest
from disclosures.sar_compile import Item, sar_items

WITHHELD_NOTICE = (
    "The law allows some information to be withheld, for example information held to prevent "
    "crime involving violence, or information about other people. Where that applies it is "
    "not included here. Ask the centre if you have questions about this copy."
)


@dataclass(frozen=True)
class Export:
    request: SubjectAccessRequest
    centre_name: str
    generated_at: datetime.datetime
    items: list[Item]
    withheld: int  # items left out, withheld or still to review
    pending: int = 0  # items still to review


def display(value: object) -> str:
    """A value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def _item_json(item: Item) -> dict[str, object]:
    return {
        "key": item.key,
        "section": item.section,
        "title": item.title,
        "fields": [{"label": e.label, "value": _json_value(e.value)} for e in item.entries],
    }


def item_digest(item: Item) -> str:
    """sha256 (hex) of the item as exported, in a canonical form: what a review is of."""
    canonical = json.dumps(
        _item_json(item), cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False,
        separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256(canonical.encode()).hexdigest()


def standing_reviews(sar: SubjectAccessRequest, items: list[Item]) -> dict[str, SarItemReview]:
    """The decisions that stand, by item key. A withhold stands whatever the item holds now;
    a release only for the content reviewed: once the item has changed (or on a row from
    before digests were kept) it is as if never reviewed, so an item that needs review is
    to review again and stays out of the export until then."""
    digests = {item.key: item_digest(item) for item in items}
    standing = {}
    for review in SarItemReview.objects.filter(request=sar):
        released = review.decision == SarItemReview.Decision.RELEASE
        current = digests.get(review.item_key)
        if released and not (review.content_digest and review.content_digest == current):
            continue
        standing[review.item_key] = review
    return standing


def _decisions(sar: SubjectAccessRequest, items: list[Item]) -> dict[str, str]:
    return {key: r.decision for key, r in standing_reviews(sar, items).items()}


def pending_of(items: list[Item], decisions: dict[str, str]) -> list[Item]:
    """The items still to review: they need it and have no decision."""
    return [item for item in items if item.needs_review and item.key not in decisions]


def sar_pending(sar: SubjectAccessRequest, *, by: User) -> list[Item]:
    """The items the coordinator has still to mark released or withheld."""
    items = sar_items(sar, by=by)
    return pending_of(items, _decisions(sar, items))


def sar_export(sar: SubjectAccessRequest, *, by: User) -> Export:
    """What the person receives: every item but the withheld ones and those still to review."""
    items = sar_items(sar, by=by)
    decisions = _decisions(sar, items)
    pending = {item.key for item in pending_of(items, decisions)}
    withheld = {k for k, d in decisions.items() if d == SarItemReview.Decision.WITHHOLD}
    released = [item for item in items if item.key not in withheld | pending]
    return Export(
        request=sar,
        centre_name=sar.centre.name,
        generated_at=timezone.now(),
        items=released,
        withheld=len(items) - len(released),
        pending=len(pending),
    )


def export_json(export: Export) -> bytes:
    """The complete, machine-readable copy."""
    sar = export.request
    document = {
        "format": "subject-access-export",
        "version": 1,
        "centre": export.centre_name,
        "request": {"id": sar.pk, "received_on": sar.received_on, "due_on": sar.due_on},
        "generated_at": export.generated_at,
        "notice": WITHHELD_NOTICE,
        "items": [_item_json(item) for item in export.items],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


# --- writes -------------------------------------------------------------------------------------
