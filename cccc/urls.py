from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django_otp.admin import OTPAdminSite

from cccc import account_views, audit_views, membership_views, policy_views, views
from cccc import auth_views as accounts

# The Django admin asks for a TOTP code too (operators only; see User constraints).
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", views.home, name="home"),
    # accounts
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/setup/", accounts.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        accounts.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    # landing pages by role
    path("operator/", views.operator, name="operator"),
    path("membership/", membership_views.membership_switch, name="membership_switch"),
    # the confidentiality policy (CHI-4.10, CHE-11)
    path("policy/", policy_views.policy_current, name="policy_current"),
    path("policy/versions/", policy_views.policy_versions, name="policy_versions"),
    path("centres/<slug:slug>/policy/", policy_views.policy_public, name="policy_public"),
    # the audit trail, read by the centre's chair and coordinator
    path("audit/", audit_views.audit_trail, name="audit_trail"),
    path("audit/export.csv", audit_views.audit_trail_csv, name="audit_trail_csv"),
    # the centre's safety settings (coordinator and chair)
    path("centres/<int:pk>/settings/", views.centre_settings, name="centre_settings"),
    # account administration
    path("people/", views.people, name="people"),
    path("accounts/<int:pk>/deactivate/", views.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/reactivate/", views.account_reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/approve/", account_views.account_approve, name="account_approve"),
    path("accounts/<int:pk>/refuse/", account_views.account_refuse, name="account_refuse"),
    path("accounts/<int:pk>/role/", account_views.account_role_change, name="account_role_change"),
    path(
        "accounts/<int:pk>/reset-two-factor/",
        views.account_two_factor_reset,
        name="account_two_factor_reset",
    ),
    path("operator/centres/new/", views.centre_create, name="centre_create"),
    path(
        "operator/centres/<int:pk>/coordinator/",
        views.coordinator_invite,
        name="coordinator_invite",
    ),
    path("", include("families.urls")),
    path("", include("volunteers.urls")),
    path("", include("disclosures.urls")),
    path("", include("retention.urls")),
    path("", include("overview.urls")),
    path("admin/", admin.site.urls),
]
