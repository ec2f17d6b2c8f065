"""The Django admin is for operators: centres and accounts only, never family records.

Nor a way into them: an operator cannot set another person's password or authenticator
here, nor change who an account is or what it may do (email, role, centre, staff and
superuser flags): a coordinator's email changed to the operator's own, then a password reset,
or the operator's own role set to coordinator, would let them in as a coordinator. Accounts
are made by invitation (cccc/views.py), passwords set by their owners, authenticators by
their owners at first sign-in or after a reset. An account with the wrong email, role or
centre is deactivated and the person invited again.

Nor a way to weaken a centre's safety settings: they are read-only here once the centre
exists (CentreAdmin), and no history version can be restored over the current row.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from cccc.models import CENTRE_SETTINGS, Centre, User

# Permissions follow the role (cccc.access, each app's access.py), never a group: the group
# page would be an unused second way to grant them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
if admin.site.is_registered(TOTPDevice):  # django-otp registers it; its form chooses the key
    admin.site.unregister(TOTPDevice)


class HistoryAdmin(SimpleHistoryAdmin):
    """History to read, never to revert: a revert saves the whole old row, read-only fields
    included (an old, weaker centre setting; an account's old email or role)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Centre)
class CentreAdmin(HistoryAdmin):
    """The operator creates a centre with its first settings (it has no coordinator yet to
    set them, and no records to protect); from then on its safety settings (CENTRE_SETTINGS)
    are its coordinator's and chair's, changed on their settings page with an audit entry."""

    list_display = ["name", "code", "policy_variant", "is_active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return CENTRE_SETTINGS if obj is not None else ()


@admin.register(User)
class UserAdmin(BaseUserAdmin, HistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "centre", "is_active"]
    list_filter = ["role", "is_active", "centre"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Person", {"fields": ["full_name", "role", "centre", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "last_login"]}),
    ]
    readonly_fields = ["email", "role", "centre", "is_staff", "is_superuser", "last_login"]

    def has_add_permission(self, request) -> bool:
        return False  # invitations make accounts; an admin form would set their password

    def get_urls(self) -> list[URLPattern]:
        # No "change password" page for someone else's account.
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]
