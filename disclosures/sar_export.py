"""Subject access: what the person receives, on screen, as JSON and as PDF (CHE-DP6, CHE-SAR).

Withheld items (SarWithheldItem) are left out of the export. The export says, whatever the
case, that information may be withheld where the law allows, so that its absence reveals
nothing. The PDF is drawn by disclosures/pdf.py from the same `Export`.
"""

import datetime
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import dateformat, timezone

from cccc.models import User
from disclosures.models import SarWithheldItem, SubjectAccessRequest
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
    withheld: int


def display(value) -> str:
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


def sar_export(sar: SubjectAccessRequest, *, by: User) -> Export:
    """What the person receives: every item but the withheld ones."""
    withheld = set(SarWithheldItem.objects.filter(request=sar).values_list("item_key", flat=True))
    items = [item for item in sar_items(sar, by=by) if item.key not in withheld]
    return Export(
        request=sar,
        centre_name=sar.centre.name,
        generated_at=timezone.now(),
        items=items,
        withheld=len(withheld),
    )


def _json_value(value):
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
