"""The Django admin is for operators: centres and accounts only, never family records.

Nor a way into them: an operator cannot set another person's password or authenticator
here, nor change who an account is or what it may do (email, role, centre, staff and
superuser flags): a coordinator's email changed to the operator's own, then a password reset,
or the operator's own role set to coordinator, would let them in as a coordinator. Accounts
are made by invitation (cccc/views.py), passwords set by their owners, authenticators by
their owners at first sign-in or after a reset. An account with the wrong email, role or
centre is deactivated and the person invited again.

Nor is an account switched on or off here: activation goes through the app's services, so that
an extra coordinator waits for the chair's approval, the centre is told and the audit trail
has the entry (issue 14).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import URLPattern
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from cccc.models import Centre, User

if admin.site.is_registered(TOTPDevice):  # django-otp registers it; its form chooses the key
    admin.site.unregister(TOTPDevice)


@admin.register(Centre)
class CentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "policy_variant", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "centre", "is_active"]
    list_filter = ["role", "is_active", "centre"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Person", {"fields": ["full_name", "role", "centre", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "last_login"]}),
    ]
    readonly_fields = [
        "email", "role", "centre", "is_active", "is_staff", "is_superuser", "last_login",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # invitations make accounts; an admin form would set their password

    def get_urls(self) -> list[URLPattern]:
        # No "change password" page for someone else's account.
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]
