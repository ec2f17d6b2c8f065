"""Subject access: what the person receives, on screen, as JSON and as PDF (CHE-DP6, CHE-SAR).

Left out of the export: items the coordinator withheld (SarItemReview), and items that can
hold someone else's data or data held to prevent violence (`Item.review`) until the
coordinator has reviewed them (`sar_pending`): an item is released only by a decision. The
export says, whatever the case, that information may be withheld where the law allows, so
that its absence reveals nothing. The PDF is drawn by disclosures/pdf.py from the same `Export`.
"""

import datetime
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


def _decisions(sar: SubjectAccessRequest) -> dict[str, str]:
    return dict(SarItemReview.objects.filter(request=sar).values_list("item_key", "decision"))


def pending_of(items: list[Item], decisions: dict[str, str]) -> list[Item]:
    """The items still to review: they need it and have no decision."""
    return [item for item in items if item.needs_review and item.key not in decisions]


def sar_pending(sar: SubjectAccessRequest, *, by: User) -> list[Item]:
    """The items the coordinator has still to mark released or withheld."""
    return pending_of(sar_items(sar, by=by), _decisions(sar))


def sar_export(sar: SubjectAccessRequest, *, by: User) -> Export:
    """What the person receives: every item but the withheld ones and those still to review."""
    decisions = _decisions(sar)
    items = sar_items(sar, by=by)
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


def _json_value(value: object) -> object:
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


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
        "items": [
            {
                "key": item.key,
                "section": item.section,
                "title": item.title,
                "fields": [{"label": e.label, "value": _json_value(e.value)} for e in item.entries],
            }
            for item in export.items
        ],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


# --- writes -------------------------------------------------------------------------------------
