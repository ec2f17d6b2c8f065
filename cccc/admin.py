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

Nor does it keep names: every model in it writes its admin log entries (django_admin_log) as
"user #12", never `str(obj)`, which would put a person's name or email in a table that no
destruction reaches. The change message names the fields changed, never their values.

Nor a way to weaken a centre's safety settings: they are read-only here once the centre
exists (CentreAdmin), and no history version can be restored over the current row.
"""

import json

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from cccc.models import CENTRE_SETTINGS, Centre, Membership, User


class NamelessAdminLog:
    """Admin log entries that name the record by type and id only."""

    def _log(self, request, objects, action_flag: int, message="") -> list[LogEntry]:
        if isinstance(message, list):
            message = json.dumps(message)
        entries = [
            LogEntry(
                user_id=request.user.pk,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
                object_repr=f"{obj._meta.verbose_name} #{obj.pk}",
                action_flag=action_flag,
                change_message=message,
            )
            for obj in objects
        ]
        return LogEntry.objects.bulk_create(entries)

    def log_addition(self, request, obj, message):
        return self._log(request, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, list(queryset), DELETION)


# The admins that come with our dependencies, made nameless too (django-axes' rows hold the
# email typed at sign-in).
for _model, _admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin.__name__, (NamelessAdminLog, _admin), {}))

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
class CentreAdmin(NamelessAdminLog, HistoryAdmin):
    """The operator creates a centre with its first settings (it has no coordinator yet to
    set them, and no records to protect); from then on its safety settings (CENTRE_SETTINGS)
    are its coordinator's and chair's, changed on their settings page with an audit entry."""

    list_display = ["name", "code", "policy_variant", "is_active"]
    search_fields = ["name", "code"]

    def get_readonly_fields(self, request, obj=None):
        return CENTRE_SETTINGS if obj is not None else ()


class MembershipInline(admin.TabularInline):
    """A person's memberships, read-only: they are given by invitation and changed through
    the app's services (approval, audit, the centre told), never here."""

    model = Membership
    fk_name = "user"
    fields = ["centre", "role", "is_active", "awaiting_approval", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(NamelessAdminLog, HistoryAdmin):
    """Every membership of every centre, to read: who holds which role where (issue 19). Made
    by invitation and changed through the app's services (approval, audit, the centre told),
    never here."""

    list_display = ["user", "centre", "role", "is_active", "awaiting_approval", "created_at"]
    list_filter = ["centre", "role", "is_active", "awaiting_approval"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "centre"]
    readonly_fields = [
        "user", "centre", "role", "is_active", "awaiting_approval", "invited_by", "created_at",
    ]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(NamelessAdminLog, BaseUserAdmin, HistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active"]
    list_filter = ["memberships__role", "is_active", "memberships__centre"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Person", {"fields": ["full_name", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "last_login"]}),
    ]
    readonly_fields = [
        "email", "is_active", "is_staff", "is_superuser", "last_login",
    ]  # fmt: skip
    inlines = [MembershipInline]

    def has_add_permission(self, request) -> bool:
        return False  # invitations make accounts; an admin form would set their password

    def get_urls(self) -> list[URLPattern]:
        # No "change password" page for someone else's account.
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]
