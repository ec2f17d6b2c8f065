"""The logged reveal of an adult's address, phone and email on the family page, ending on a
normal page (post/redirect/get, issue 17).

The reveal is a POST: it writes the access log entry, then puts a flag in the coordinator's
session (the family's and the adult's ids and the time: never a value) and redirects to the
family page. That page takes the flag off the session as it draws, so the details are shown
on that one page: refreshing it, or coming back to it, shows them hidden again and logs
nothing. A flag not used within REVEAL_SHOWN_SECONDS is ignored. The values themselves never
go into a URL.
"""

import time

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from families import services
from families.access import get_family_for
from families.models import Family

REVEALED_KEY = "families_contact_revealed"
# Long enough for the redirect on a slow connection; the flag is for the very next page.
REVEAL_SHOWN_SECONDS = 60


@login_required
@require_POST
def contact_reveal(request, pk: int, adult_pk: int):
    """Log that a coordinator looks at one adult's contact details, then show the family page
    with them, once."""
    family = get_family_for(request.membership, pk)
    adult = get_object_or_404(family.adults, pk=adult_pk)
    services.contact_reveal(adult=adult, by=request.user)
    request.session[REVEALED_KEY] = {"family": family.pk, "adult": adult.pk, "at": time.time()}
    return redirect("family_detail", pk=family.pk)


def revealed_adult_id(request: HttpRequest, family: Family) -> int | None:
    """The adult of `family` whose details were just revealed, if the page drawn now is the
    one the reveal redirected to; the flag is taken off the session either way."""
    flag = request.session.pop(REVEALED_KEY, None)
    if not isinstance(flag, dict) or flag.get("family") != family.pk:
        return None
    if not 0 <= time.time() - float(flag.get("at", 0)) <= REVEAL_SHOWN_SECONDS:
        return None
    adult = flag.get("adult")
    return adult if isinstance(adult, int) else None
