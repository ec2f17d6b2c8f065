"""A volunteer's private calendar feed (volunteers/feed_services.py): the portal page where
they make, renew or stop its address, and the feed itself.

The feed needs no sign-in (a calendar app cannot sign in): its token is the credential. An
unknown, revoked or malformed token gets the same 404 as any page that does not exist. The
address is shown once, right after it is made, from the session (never stored elsewhere)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from volunteers import feed_services
from volunteers.models import CalendarFeed
from volunteers.portal_views import portal_page

ONCE_KEY = "calendar_feed_url_once"


@portal_page
@require_GET
def portal_calendar(request, volunteer):
    live = CalendarFeed.objects.filter(volunteer=volunteer, revoked_at__isnull=True).first()
    return render(
        request,
        "volunteers/portal_calendar.html",
        {"live": live, "new_url": request.session.pop(ONCE_KEY, None)},
    )


@portal_page
@require_POST
def portal_calendar_renew(request, volunteer):
    new = feed_services.calendar_feed_renew(volunteer=volunteer, by=request.user)
    request.session[ONCE_KEY] = new.url
    return redirect("portal_calendar")


@portal_page
@require_POST
def portal_calendar_revoke(request, volunteer):
    try:
        feed_services.calendar_feed_revoke(volunteer=volunteer, by=request.user)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
    else:
        messages.success(request, "Your calendar address is stopped: it no longer works.")
    return redirect("portal_calendar")


@require_GET
def calendar_feed(request):
    volunteer = feed_services.feed_volunteer(request.GET.get("key", ""))
    if volunteer is None:
        raise Http404
    return HttpResponse(
        feed_services.feed_calendar(volunteer), content_type="text/calendar; charset=utf-8"
    )
