"""The one way to read disclosure records, scoped by the reader's centre and role.

Anything outside the reader's reach is a 404 (SPEC §2):
- a referrer reaches only the families they referred (the referrer of record, CHI-4.4, CHE-4);
- the coordinator reaches their centre's requests and decisions;
- the coordinator and the chair read the register (IDs and categories, no personal data).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cccc.access import centre_id_of
from cccc.models import Membership, Role
from disclosures.models import DisclosureRequest
from disclosures.models.request import DisclosureRequestQuerySet
from families.models import Family, Referral


def referred_families_for(membership: Membership) -> QuerySet[Family]:
    """Families this referrer is the referrer of record of, at the membership's centre: a
    referral of theirs that the centre accepted. A pending or declined referral makes nobody
    the referrer of record (the other parent's solicitor may refer a family too)."""
    if membership.role == Role.REFERRER:
        return Family.objects.filter(
            centre_id=centre_id_of(membership),
            referrals__referrer_id=membership.user_id,
            referrals__status=Referral.Status.ACCEPTED,
        ).distinct()
    return Family.objects.none()


def get_referred_family_for(membership: Membership, pk: int) -> Family:
    return get_object_or_404(referred_families_for(membership), pk=pk)


def requests_for(membership: Membership) -> DisclosureRequestQuerySet:
    """Requests a coordinator may open, decide and read in full."""
    if membership.role == Role.COORDINATOR:
        return DisclosureRequest.objects.filter(centre_id=centre_id_of(membership))
    return DisclosureRequest.objects.none()


def get_request_for(membership: Membership, pk: int) -> DisclosureRequest:
    return get_object_or_404(
        requests_for(membership).select_related(
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


def register_for(membership: Membership) -> DisclosureRequestQuerySet:
    """The register: the centre's requests for its coordinator and its chair."""
    if membership.role in (Role.COORDINATOR, Role.CHAIR):
        return DisclosureRequest.objects.filter(centre_id=centre_id_of(membership))
    return DisclosureRequest.objects.none()


def get_break_glass_for_chair(membership: Membership, pk: int) -> DisclosureRequest:
    if membership.role != Role.CHAIR:
        return get_object_or_404(DisclosureRequest.objects.none(), pk=pk)
    return get_object_or_404(
        DisclosureRequest.objects.filter(centre_id=centre_id_of(membership)).break_glass(), pk=pk
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
