"""Sign-in, two-factor (django-otp TOTP), invitations."""

import base64
import time
from functools import partial
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc import tasks
from cccc.client_ip import client_ip
from cccc.forms import EmailAuthenticationForm, TokenForm
from cccc.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from cccc.throttle import throttle_count


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # django.contrib.auth.login() gives the session a new key (no fixation).
        response = super().form_valid(form)
        now = time.time()
        self.request.session[SESSION_STARTED] = now
        self.request.session[SESSION_LAST_SEEN] = now
        return response


def password_reset_allowed(*, email: str, client: str | None) -> bool:
    """Count the request against the address and the client; True while both are within
    their limits. Every request counts, for an unknown address too, so the limits cannot
    tell one from the other."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    per_address = throttle_count(scope="reset-address", value=email.strip().lower(), window=window)
    per_client = throttle_count(scope="reset-client", value=client or "", window=window)
    return (
        per_address <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
        and per_client <= settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same redirect whether the address has an
    account, has none, or has asked too often; the mail is a task queued on commit, so the
    page neither waits for the mail server nor takes longer for a real account."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if password_reset_allowed(email=email, client=client_ip(self.request)):
            for user in form.get_users(email):
                transaction.on_commit(partial(tasks.password_reset_send.delay, user.pk))
        return HttpResponseRedirect(self.get_success_url())


def _safe_next(request) -> str:
    """The page asked for before signing in, when it is a page of this site; else empty."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_url(request) -> str:
    return _safe_next(request) or reverse_lazy("home")


def _with_next(request, name: str) -> str:
    """The URL of another two-factor page, carrying the page asked for."""
    target = _safe_next(request)
    return reverse(name) + ("?" + urlencode({"next": target}) if target else "")


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in of a two-factor role: show a new TOTP secret and confirm one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next(request, "two_factor_verify"))
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(_next_url(request))
        form.add_error("token", "That code did not match. Check the clock on your phone.")
    b32 = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - our own SVG
        "secret": " ".join(b32[i : i + 4] for i in range(0, len(b32), 4)),
        "next": _safe_next(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(_with_next(request, "two_factor_setup"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", "That code did not match, or too many tries: wait and retry.")
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The one-time link in an invitation: choose a password, then sign in."""

    template_name = "accounts/invitation_accept.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Please sign in.")
        return super().form_valid(form)
