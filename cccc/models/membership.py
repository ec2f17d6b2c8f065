"""A person's place in a centre: one account, one or more memberships (issue 19).

A membership is a (centre, role) pair. Everything a page shows is scoped to the membership
in use (`request.membership`, chosen with the switcher in the header and remembered in the
session), never to the person: a coordinator of two sites sees one site at a time, and a
referrer who refers to three centres sees, at each, only their referrals to it.

The operator is the one role with no centre: an installation-wide membership.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc.models.centre import Centre, Role


class MembershipQuerySet(models.QuerySet["Membership"]):
    def usable(self) -> "MembershipQuerySet":
        """Memberships their person may work in now: active, not waiting for approval, of an
        active person. A volunteer's also needs their volunteer record in order
        (volunteers.auth checks that, as it needs the volunteers app)."""
        return self.filter(is_active=True, awaiting_approval=False, user__is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    centre = models.ForeignKey(
        Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    # A coordinator or chair made from outside the centre's oversight waits, unusable, until
    # someone inside the centre agrees (cccc.services.account_approve; issue 14).
    awaiting_approval = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The name the inviting centre typed, shown to it until the person signs in (shown_name).
    name_given = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["centre__name", "role", "pk"]
        constraints = [
            # The operator belongs to no centre; every other role to exactly one.
            models.CheckConstraint(
                condition=(Q(role="operator") & Q(centre__isnull=True))
                | (~Q(role="operator") & Q(centre__isnull=False)),
                name="membership_centre_matches_role",
            ),
            # One role per person per centre: two roles in one centre would mix what each
            # may see.
            models.UniqueConstraint(
                fields=["user", "centre"],
                condition=Q(centre__isnull=False),
                name="membership_once_per_centre",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(role="operator"), name="membership_operator_once"
            ),
            models.CheckConstraint(
                condition=Q(awaiting_approval=False) | Q(is_active=False),
                name="membership_waiting_is_not_active",
            ),
        ]
        indexes = [models.Index(fields=["centre", "role"])]

    def __str__(self) -> str:
        where = self.centre.name if self.centre_id else "the installation"  # type: ignore[union-attr]
        return f"{self.get_role_display()} at {where}"

    @property
    def not_yet_used(self) -> bool:
        """Invited and not signed in since: shown as "Invited" on the centre's pages. A new
        account and a membership added to an existing one (cccc.services.user_invite) read
        the same until the person signs in, so the page does not tell the inviting centre
        that the address had an account (issue 19)."""
        user = self.user
        return (
            not user.has_usable_password()
            or user.last_login is None
            or user.last_login < self.created_at
        )

    @property
    def shown_name(self) -> str:
        """The person's name as the centre's pages show it: until the person signs in after
        joining, the name the centre typed when it invited them, so that an address that
        already had an account reads exactly as a new one (issue 19)."""
        if self.name_given and self.not_yet_used:
            return self.name_given
        return self.user.full_name

    @property
    def needs_two_factor(self) -> bool:
        return self.role in settings.TWO_FACTOR_ROLES

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def is_chair(self) -> bool:
        return self.role == Role.CHAIR

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_referrer(self) -> bool:
        return self.role == Role.REFERRER

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR
