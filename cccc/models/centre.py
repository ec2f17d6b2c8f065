"""Installation-wide records: centres and their safety settings, users and their roles, data
keys, policy documents. The access log is in cccc/models/audit.py."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cccc import crypto

if TYPE_CHECKING:
    from cccc.models.membership import Membership


class PolicyVariant(models.TextChoices):
    """The confidentiality policies built in (disclosures/policy.py: VARIANTS). New centres
    start from the NACCC specimen, which most member centres adopt."""

    NACCC = "naccc", "NACCC specimen (NAC): 11 items, witness summons, police, DP"
    CHICHESTER = "chichester", "Chichester (CHI): 10 principles, 'unless required by law'"
    CHESTERFIELD = "chesterfield", "Chesterfield (CHE): 12 items, witness summons, police, DP"


class DbsVisibility(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CHAIR = "chair", "Chair of the management committee"
    BOTH = "both", "Coordinator and chair"


class DbsLevel(models.TextChoices):
    """DBS check levels, lowest first (volunteers.models re-exports it). Defined here because
    each centre sets the minimum that clears a volunteer (issue 14, CHI-4.7, CHE-8)."""

    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred list (children)"

    @classmethod
    def meets(cls, level: str, minimum: str) -> bool:
        order = list(cls.values)
        return level in order and order.index(level) >= order.index(minimum)


# The knobs the policies leave to each centre, its safety settings: set by the operator when
# the centre is created, then changed only by its coordinator or chair on their settings page
# (cccc.centre_services.centre_settings_change, an audit entry per change). Read-only in the admin.
CENTRE_SETTINGS = (
    "policy_variant",
    "keep_apart_gap_minutes",
    "handover_minutes",
    "supervised_cover",
    "supported_cover",
    "dbs_visible_to",
    "dbs_min_level",
    "dbs_renewal_years",
    "family_retention_years",
    "volunteer_retention_years",
    "rules_version",
)
# Floors, in the database too. The retention floor is the three years both built-in policies
# name (CHI-4.9, CHE-10, CHE-DP5); nothing in the model records a centre's adopted policy
# saying otherwise, so it holds for every centre.
MIN_KEEP_APART_GAP_MINUTES = 5
MIN_RETENTION_YEARS = 3
RETENTION_FLOOR = MinValueValidator(
    MIN_RETENTION_YEARS, f"Records are kept for at least {MIN_RETENTION_YEARS} years."
)


class Centre(models.Model):
    """One contact centre. Its settings are the knobs the policies leave to each centre."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True, help_text="Used in the public policy address.")
    code = models.CharField(
        max_length=5,
        unique=True,
        help_text="Short prefix of family references, e.g. CHI for CHI-2026-0042.",
    )
    policy_variant = models.CharField(
        max_length=20, choices=PolicyVariant.choices, default=PolicyVariant.NACCC
    )
    address = models.TextField(blank=True, help_text="The centre's own postal address.")
    email = models.EmailField(blank=True, help_text="The centre's own contact address.")
    is_active = models.BooleanField(default=True)

    keep_apart_gap_minutes = models.PositiveIntegerField(
        default=15,
        validators=[
            MinValueValidator(
                MIN_KEEP_APART_GAP_MINUTES,
                f"The keep-apart gap is at least {MIN_KEEP_APART_GAP_MINUTES} minutes.",
            )
        ],
        help_text="Minimum minutes between adults who must not meet.",
    )
    handover_minutes = models.PositiveIntegerField(
        default=10,
        help_text="Minutes the adult bringing the child needs to hand over (and collect).",
    )
    rules_version = models.CharField(
        max_length=20, default="1", help_text="Version of the centre rules adults acknowledge."
    )
    family_retention_years = models.PositiveIntegerField(default=3, validators=[RETENTION_FLOOR])
    volunteer_retention_years = models.PositiveIntegerField(default=3, validators=[RETENTION_FLOOR])
    dbs_renewal_years = models.PositiveIntegerField(default=3)
    dbs_visible_to = models.CharField(
        max_length=20, choices=DbsVisibility.choices, default=DbsVisibility.BOTH
    )
    dbs_min_level = models.CharField(
        "Minimum DBS level that clears a volunteer",
        max_length=20,
        choices=DbsLevel.choices,
        default=DbsLevel.ENHANCED_BARRED,
        help_text="Work with children needs an Enhanced check with the children's barred list.",
    )
    supervised_cover = models.PositiveIntegerField(
        default=2,
        validators=[MinValueValidator(1, "A supervised session has at least one volunteer.")],
        help_text="Volunteers needed on a supervised session.",
    )
    supported_cover = models.PositiveIntegerField(
        default=1, help_text="Volunteers needed on a supported session."
    )
    # The centre's own data key, made on first use (retention.accident_services): the accident
    # book is sealed under it, never under a family's key, so it outlives every family (CHI-4.9).
    data_key = models.OneToOneField(
        "DataKey",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="centre",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(family_retention_years__gte=MIN_RETENTION_YEARS)
                & Q(volunteer_retention_years__gte=MIN_RETENTION_YEARS),
                name="centre_retention_at_least_three_years",
            ),
            models.CheckConstraint(
                condition=Q(keep_apart_gap_minutes__gte=MIN_KEEP_APART_GAP_MINUTES),
                name="centre_keep_apart_gap_at_least_five_minutes",
            ),
            # Supervised contact is contact a volunteer watches throughout.
            models.CheckConstraint(
                condition=Q(supervised_cover__gte=1),
                name="centre_supervised_cover_at_least_one_volunteer",
            ),
            # A kept-apart hand-over takes time: the adult must leave after arriving.
            models.CheckConstraint(
                condition=Q(handover_minutes__gte=1), name="centre_handover_at_least_one_minute"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    CHAIR = "chair", "Chair"
    VOLUNTEER = "volunteer", "Volunteer"
    REFERRER = "referrer", "Referrer"
    OPERATOR = "operator", "Operator"


class MembershipUnclear(Exception):
    """A person with several memberships was asked for "their" centre or role outside a
    request: the caller must say which membership it means (never a guess)."""


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        """A person's account; given `role` (and `centre`), also their first membership."""
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        """`createsuperuser` makes an operator: installation admin, no centre, no families."""
        fields.update(role=Role.OPERATOR, centre=None, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Families never sign in; they are records, not users.

    A person has one account and one or more memberships (cccc.models.membership), each a
    (centre, role) pair. `role`, `centre` and `centre_id` below are those of the membership
    in use: the one the request works in (set by cccc.middleware.MembershipMiddleware), or,
    outside a request, the person's only membership. For a person with several and none
    chosen they raise MembershipUnclear rather than guess. Scoping code takes the
    membership itself (`request.membership`), not these.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    agency = models.CharField(
        max_length=200, blank=True, help_text="For referrers: solicitor's firm, CAFCASS, ..."
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    # --- the membership in use ----------------------------------------------------------------

    def use_membership(self, membership: "Membership | None") -> None:
        """Work as this membership (one of this person's) until the object is dropped."""
        if membership is not None and membership.user_id != self.pk:
            raise ValueError("That membership is someone else's.")
        self.__dict__["_membership"] = membership

    @property
    def membership(self) -> "Membership | None":
        """The membership in use (see the class's note), or None for a person without one."""
        if "_membership" not in self.__dict__:
            found = [] if self.pk is None else list(self.memberships.select_related("centre")[:2])
            if len(found) > 1:
                raise MembershipUnclear(
                    "This person has several memberships: say which one (request.membership)."
                )
            self.__dict__["_membership"] = found[0] if found else None
        membership: Membership | None = self.__dict__["_membership"]
        return membership

    def _membership_to_set(self) -> "Membership":
        membership = self.membership
        if membership is None:
            from cccc.models.membership import Membership

            membership = Membership(user=self if self.pk else None)
            self.__dict__["_membership"] = membership
        return membership

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership is not None else None

    @role.setter
    def role(self, value: str) -> None:
        self._membership_to_set().role = value

    @property
    def centre(self) -> "Centre | None":
        return self.membership.centre if self.membership is not None else None

    @centre.setter
    def centre(self, value: "Centre | None") -> None:
        self._membership_to_set().centre = value

    @property
    def centre_id(self) -> int | None:
        return self.membership.centre_id if self.membership is not None else None

    @centre_id.setter
    def centre_id(self, value: int | None) -> None:
        self._membership_to_set().centre_id = value

    @property
    def awaiting_approval(self) -> bool:
        return self.membership.awaiting_approval if self.membership is not None else False

    @awaiting_approval.setter
    def awaiting_approval(self, value: bool) -> None:
        self._membership_to_set().awaiting_approval = value

    def get_role_display(self) -> str:
        return self.membership.get_role_display() if self.membership is not None else ""

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving a new person given a role (and centre) also saves that first membership."""
        super().save(*args, **kwargs)
        membership = self.__dict__.get("_membership")
        if membership is not None and membership.pk is None and membership.role:
            membership.user = self
            if membership.invited_by_id is None:
                membership.invited_by_id = self.invited_by_id
            if membership.awaiting_approval:
                membership.is_active = False
            membership.save()
        fields = kwargs.get("update_fields")
        staff_checked = fields is None or "is_staff" in fields
        if (
            staff_checked
            and self.is_staff
            and not self.memberships.filter(role=Role.OPERATOR).exists()
        ):
            raise ValidationError("Only operators reach the Django admin.")

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_membership", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def needs_two_factor(self) -> bool:
        """Two-factor is per person: needed when any of their memberships' roles needs it."""
        if "_needs_two_factor" not in self.__dict__:
            roles = settings.TWO_FACTOR_ROLES
            pending = self.__dict__.get("_membership")
            usable = self.__dict__.get("usable_memberships")
            if usable is not None:
                # Read with the user on each request (volunteers.auth): no query more.
                self.__dict__["_needs_two_factor"] = any(m.role in roles for m in usable)
                return bool(self.__dict__["_needs_two_factor"])
            self.__dict__["_needs_two_factor"] = bool(
                self.pk
                and self.memberships.filter(role__in=roles, is_active=True).exists()
                or (pending is not None and pending.role in roles)
            )
        needs: bool = self.__dict__["_needs_two_factor"]
        return needs

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


class DataKey(models.Model):
    """A record's own data key, stored only wrapped by a master key (SPEC §4).

    Deleting the row is crypto-shredding: every copy of the owner's ciphertext, in live rows,
    history rows, replicas and backups, becomes unreadable once the master keys that could
    open an old copy of this row are retired.
    """

    master_key_id = models.CharField(max_length=64)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"data key {self.pk}"

    def plaintext(self) -> bytes:
        # Cached on this instance only, never process-wide: a destroyed key stops working for
        # every later query at once.
        if not hasattr(self, "_plaintext"):
            self._plaintext = crypto.unwrap_data_key(self.master_key_id, bytes(self.wrapped))
        return self._plaintext


class PolicyDocument(models.Model):
    """One version of a centre's confidentiality policy (CHI-4.10, CHE-11): readable by every
    signed-in user and by the public; reviewed every year (CHI-note, CHE-12)."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="policies")
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200, default="Confidentiality policy")
    text = models.TextField(help_text="As adopted; blank lines part paragraphs.")
    adopted_on = models.DateField()
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    next_review_due = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["centre", "-adopted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "version"], name="policy_version_once"),
            models.CheckConstraint(
                condition=Q(next_review_due__gt=models.F("adopted_on")),
                name="policy_review_after_adoption",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
