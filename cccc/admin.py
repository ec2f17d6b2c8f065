"""The Django admin is for operators: centres and accounts only, never family records."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from cccc.models import Centre, User


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
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "centre", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "last_login"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "centre", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login"]
