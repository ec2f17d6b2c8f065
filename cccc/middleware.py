"""Centre-wide request handling: health check, no-store, session lifetime, two-factor gate."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

SESSION_STARTED = "cccc_session_started"
# The membership in use (issue 19): its id, chosen with the switcher in the header.
SESSION_MEMBERSHIP = "cccc_membership"
SESSION_LAST_SEEN = "cccc_last_seen"
# The idle clock is refreshed at most this often, so that a request which changes nothing
# writes no session row (a write on every request was the largest fixed cost: issue 22).
LAST_SEEN_RESOLUTION = 60


class HealthCheckMiddleware:
    """Answers /healthz before host validation and HTTPS redirects, for container probes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return HttpResponse("ok", content_type="text/plain")
        return self.get_response(request)


class NoStoreMiddleware:
    """Every dynamic page may show personal data, so none may be kept in any cache.

    Static files are served by WhiteNoise before this runs and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class SessionLifetimeMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT without a request, or
    SESSION_ABSOLUTE_LIFETIME after sign-in whatever the activity.

    The last-seen time moves only when it is a minute old, so the idle timeout holds to
    within a minute and most requests leave the session untouched (nothing is saved when
    nothing changed: SESSION_SAVE_EVERY_REQUEST is off). Each refresh saves the session, which
    also moves its expiry in the database on by SESSION_COOKIE_AGE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED)
            if started is None:
                started = session[SESSION_STARTED] = now
            last_seen = session.get(SESSION_LAST_SEEN)
            idle = last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_ABSOLUTE_LIFETIME
            if idle or too_old:
                logout(request)
                messages.info(request, "Your session ended. Please sign in again.")
                return redirect_to_login(request.path)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


def membership_in_use(request):
    """The membership this request works in: the one chosen in this session when it is still
    usable, else the person's first usable one (None when they have none). The usable ones are
    read with the user (volunteers.auth.VolunteerGateBackend.get_user), gate included; a user
    loaded any other way has none, so nothing is shown rather than something unchecked."""
    usable = getattr(request.user, "usable_memberships", None) or []
    chosen = request.session.get(SESSION_MEMBERSHIP)
    for membership in usable:
        if membership.pk == chosen:
            return membership
    return usable[0] if usable else None


class MembershipMiddleware:
    """Sets `request.membership`, the (centre, role) every page is scoped to, and makes it the
    signed-in user's membership in use. A signed-in person with no usable membership left
    (deactivated at their only centre since the last request) is signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.user.is_authenticated:
            membership = membership_in_use(request)
            if membership is None:
                logout(request)
                return redirect_to_login(request.path)
            request.user.use_membership(membership)
            request.membership = membership
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Coordinators, chairs and operators reach nothing but the two-factor pages until they
    have confirmed a TOTP code in this session (django-otp's `is_verified`)."""

    allowed_prefixes = ("/accounts/two-factor/", "/accounts/logout/", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(self.allowed_prefixes)
        ):
            return redirect(two_factor_url(request))
        return self.get_response(request)


def two_factor_url(request) -> str:
    """The two-factor page, carrying the page asked for so that the user lands there once the
    code is confirmed (the two-factor view checks it is on this site). Only a page that was
    read (GET) is carried: a form sent before the code is not sent again after it."""
    url = reverse("two_factor_verify")
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return url
