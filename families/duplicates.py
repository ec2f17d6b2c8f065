"""The warning, before saving, that the centre may already have a family: on the
coordinator's referral form and on the forms that add or rename an adult or a child
(families/search.py finds the matches through the blind index).

The coordinator is shown each family with a link, and saves only by confirming those very
families (the confirm button carries their ids): typing a different person afterwards, who
matches another family, warns again. A referrer is never warned: that would tell them the
centre has a family of that name. The coordinator sees the same warning on the referral's
page instead.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from cccc.models import Membership
from families.access import families_for
from families.models import Adult, Child
from families.search import Duplicate, possible_duplicates

CONFIRM_FIELD = "confirm_duplicates"


def duplicates_of(
    membership: Membership,
    *,
    adults: Iterable[Adult] = (),
    children: Iterable[Child] = (),
    exclude: int | None = None,
) -> list[Duplicate]:
    """Families the membership in use may see with one of these people (saved or not) in
    them: only its own centre's, whatever other memberships the person holds."""
    return possible_duplicates(
        families_for(membership),
        centre_id=membership.centre_id or 0,
        adults=[(a.first_name, a.last_name) for a in adults],
        children=[(c.first_name, c.last_name, c.date_of_birth) for c in children],
        exclude=exclude,
    )


def confirm_value(duplicates: list[Duplicate]) -> str:
    return ",".join(str(d.pk) for d in duplicates)


def unconfirmed(request: HttpRequest, duplicates: list[Duplicate]) -> list[Duplicate]:
    """The duplicates still to show: none once the coordinator confirmed every one of them."""
    raw = request.POST.get(CONFIRM_FIELD, "")
    confirmed = {int(part) for part in raw.split(",") if part.strip().isdigit()}
    return [] if {d.pk for d in duplicates} <= confirmed else duplicates
