"""The switcher in the header: which of the person's memberships the pages work in (issue 19).

The choice is the membership's id, posted (never in a URL) and kept in the session. Only one
of the person's own usable memberships can be chosen; anything else is a 404, as for a
record out of reach. The choice changes what is shown, not who is signed in, so the
two-factor step already done holds (two-factor is per person).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cccc.middleware import SESSION_MEMBERSHIP


@require_POST
def membership_switch(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        raise Http404
    usable = getattr(request.user, "usable_memberships", None) or []
    try:
        chosen = int(request.POST.get("membership", ""))
    except ValueError:
        raise Http404 from None
    if chosen not in {membership.pk for membership in usable}:
        raise Http404
    if request.session.get(SESSION_MEMBERSHIP) != chosen:
        request.session[SESSION_MEMBERSHIP] = chosen
    return redirect("home")
