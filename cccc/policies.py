"""Each centre's confidentiality policy: versions, adoption, the annual review
(CHI-4.10, CHI-note, CHE-11, CHE-12)."""

import datetime

from django.db import transaction
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


def review_warning(centre: Centre, *, today: datetime.date | None = None) -> dict | None:
    """What the coordinator and chair should be told about the annual review, if anything."""
    today = today or timezone.localdate()
    # The review date is all the warning needs: not the policy's text, however long.
    policy = (
        PolicyDocument.objects.filter(centre=centre, adopted_on__lte=today)
        .order_by("-adopted_on", "-pk")
        .only("centre_id", "version", "title", "adopted_on", "next_review_due")
        .first()
    )
    if policy is None:
        return {"policy": None, "message": "No confidentiality policy has been adopted yet."}
    days = (policy.next_review_due - today).days
    if days > WARN_DAYS:
        return None
    if days < 0:
        message = f"The annual policy review was due {-days} days ago."
    else:
        message = f"The annual policy review is due in {days} days."
    return {"policy": policy, "days": days, "message": message}
