"""Each centre's confidentiality policy: versions, adoption, the annual review
(CHI-4.10, CHI-note, CHE-11, CHE-12)."""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cccc.dates import add_months
from cccc.models import Centre, PolicyDocument, User

REVIEW_MONTHS = 12
WARN_DAYS = 30


def current_policy(centre: Centre, *, today: datetime.date | None = None) -> PolicyDocument | None:
    today = today or timezone.localdate()
    return (
        PolicyDocument.objects.filter(centre=centre, adopted_on__lte=today)
        .order_by("-adopted_on", "-pk")
        .first()
    )


@transaction.atomic
def policy_adopt(
    *,
    centre: Centre,
    version: str,
    text: str,
    adopted_on: datetime.date,
    by: User,
    title: str = "Confidentiality policy",
) -> PolicyDocument:
    """Adopt a new version; the next review is due a year after adoption."""
    document = PolicyDocument(
        centre=centre,
        version=version.strip(),
        title=title.strip(),
        text=text.strip(),
        adopted_on=adopted_on,
        adopted_by=by,
        next_review_due=add_months(adopted_on, REVIEW_MONTHS),
    )
    document.full_clean()
    document.save()
    return document


def current_review_due(centre_id: int, today: datetime.date) -> QuerySet[PolicyDocument]:
    """The review date of the policy in force on `today` (a one-row query of it alone: not the
    policy's text, however long), for review_warning or as a subquery of a page's own."""
    return (
        PolicyDocument.objects.filter(centre_id=centre_id, adopted_on__lte=today)
        .order_by("-adopted_on", "-pk")
        .values("next_review_due")[:1]
    )


def review_warning(centre: Centre, *, today: datetime.date | None = None) -> dict | None:
    """What the coordinator and chair should be told about the annual review, if anything."""
    today = today or timezone.localdate()
    row = current_review_due(centre.pk, today).first()
    return review_message(row["next_review_due"] if row else None, today=today)


def review_message(due: datetime.date | None, *, today: datetime.date) -> dict[str, Any] | None:
    """The warning for the review date of the policy in force (None when no policy has been
    adopted), if the review is due within WARN_DAYS."""
    if due is None:
        return {"message": "No confidentiality policy has been adopted yet."}
    days = (due - today).days
    if days > WARN_DAYS:
        return None
    if days < 0:
        message = f"The annual policy review was due {-days} days ago."
    else:
        message = f"The annual policy review is due in {days} days."
    return {"days": days, "message": message}
