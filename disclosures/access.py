"""The one way to read disclosure records, scoped by the reader's centre and role.

Anything outside the reader's reach is a 404 (SPEC §2):
- a referrer reaches only the families they referred (the referrer of record, CHI-4.4, CHE-4);
- the coordinator reaches their centre's requests and decisions;
- the coordinator and the chair read the register (IDs and categories, no personal data).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cccc.access import centre_id_of
from cccc.models import Role, User
from disclosures.models import DisclosureRequest
from disclosures.models.request import DisclosureRequestQuerySet
from families.models import Family, Referral


def referred_families_for(user: User) -> QuerySet[Family]:
    """Families this referrer is the referrer of record of, in their own centre: a referral of
    theirs that the centre accepted. A pending or declined referral makes nobody the referrer
    of record (the other parent's solicitor may refer a family too)."""
    if user.is_authenticated and user.role == Role.REFERRER:
        return Family.objects.filter(
            centre_id=centre_id_of(user),
            referrals__referrer=user,
            referrals__status=Referral.Status.ACCEPTED,
        ).distinct()
    return Family.objects.none()


def get_referred_family_for(user: User, pk: int) -> Family:
    return get_object_or_404(referred_families_for(user), pk=pk)


def requests_for(user: User) -> DisclosureRequestQuerySet:
    """Requests a coordinator may open, decide and read in full."""
    if user.is_authenticated and user.role == Role.COORDINATOR:
        return DisclosureRequest.objects.filter(centre_id=centre_id_of(user))
    return DisclosureRequest.objects.none()


def get_request_for(user: User, pk: int) -> DisclosureRequest:
    return get_object_or_404(
        requests_for(user).select_related(
            "centre",
            "family__data_key",
            "subject_adult",
            "subject_child",
            "decided_by",
            "recorded_by",
            "consent_grant",
            "chair_acknowledged_by",
        ),  # fmt: skip
        pk=pk,
    )


def register_for(user: User) -> DisclosureRequestQuerySet:
    """The register: the centre's requests for its coordinator and its chair."""
    if user.is_authenticated and user.role in (Role.COORDINATOR, Role.CHAIR):
        return DisclosureRequest.objects.filter(centre_id=centre_id_of(user))
    return DisclosureRequest.objects.none()


def get_break_glass_for_chair(user: User, pk: int) -> DisclosureRequest:
    if not (user.is_authenticated and user.role == Role.CHAIR):
        return get_object_or_404(DisclosureRequest.objects.none(), pk=pk)
    return get_object_or_404(
        DisclosureRequest.objects.filter(centre_id=centre_id_of(user)).break_glass(), pk=pk
    )


def break_glass_alerts(centre_id: int) -> DisclosureRequestQuerySet:
    """Break-glass releases of a centre not yet acknowledged by its chair, oldest first: IDs
    and categories for the coordinator's dashboard and the chair's page."""
    return (
        DisclosureRequest.objects.filter(centre_id=centre_id)
        .awaiting_acknowledgement()
        .select_related("family", "decided_by")
        .defer("requester_name", "detail", "released", "refusal_text", "break_glass_reason")
        .order_by("decided_at", "pk")
    )
