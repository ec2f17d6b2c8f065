"""The one way to read the centre's legal records, scoped by the reader's centre and role.
Anything outside the reader's reach is a 404 (SPEC §2):

- witness summonses: the coordinator and the chair of the centre (like DBS results, the chair
  runs the procedure, CHE-WS);
- police visits: the coordinator keeps the log; the chair reads it;
- assessment agreements and subject access requests: the coordinator only.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cccc.access import centre_id_of
from cccc.models import Membership, Role
from disclosures.models import (
    AssessmentAgreement,
    PoliceVisit,
    SarItemReview,
    SubjectAccessRequest,
    WitnessSummons,
)
from disclosures.models.legal import (
    AssessmentAgreementQuerySet,
    PoliceVisitQuerySet,
    WitnessSummonsQuerySet,
)
from disclosures.models.sar import SubjectAccessRequestQuerySet
from families.models import Family

MANAGERS = (Role.COORDINATOR, Role.CHAIR)
COORDINATOR = (Role.COORDINATOR,)


def _reads(membership: Membership, roles: tuple[Role, ...]) -> bool:
    """True when the membership's role reads these records (of its own centre)."""
    return membership.role in roles


def summonses_for(membership: Membership) -> WitnessSummonsQuerySet:
    if _reads(membership, MANAGERS):
        return WitnessSummons.objects.filter(centre_id=centre_id_of(membership))
    return WitnessSummons.objects.none()


def summons_families_for(membership: Membership) -> QuerySet[Family]:
    """The families a summons may name, typed by reference: the chair runs the procedure
    (CHE-WS) and the summons must hold the family's records (SPEC §8), so the chair's
    reference resolves among the centre's families too. Nothing of the family is shown to
    them through it, only the reference they typed."""
    if _reads(membership, MANAGERS):
        return Family.objects.filter(centre_id=centre_id_of(membership))
    return Family.objects.none()


def get_summons_for(membership: Membership, pk: int) -> WitnessSummons:
    return get_object_or_404(
        summonses_for(membership).select_related(
            "centre",
            "family__data_key",
            "data_key",
            "volunteer__data_key",
            "recorded_by",
            "closed_by",
        ),
        pk=pk,
    )


def police_visits_for(membership: Membership) -> PoliceVisitQuerySet:
    if _reads(membership, MANAGERS):
        return PoliceVisit.objects.filter(centre_id=centre_id_of(membership))
    return PoliceVisit.objects.none()


def get_police_visit_for(membership: Membership, pk: int) -> PoliceVisit:
    return get_object_or_404(
        police_visits_for(membership).select_related("family__data_key", "data_key", "recorded_by"),
        pk=pk,
    )


def agreements_for(membership: Membership) -> AssessmentAgreementQuerySet:
    if _reads(membership, COORDINATOR):
        return AssessmentAgreement.objects.filter(centre_id=centre_id_of(membership))
    return AssessmentAgreement.objects.none()


def get_agreement_for(membership: Membership, pk: int) -> AssessmentAgreement:
    return get_object_or_404(agreements_for(membership).select_related("family__data_key"), pk=pk)


def sars_for(membership: Membership) -> SubjectAccessRequestQuerySet:
    if _reads(membership, COORDINATOR):
        return SubjectAccessRequest.objects.filter(centre_id=centre_id_of(membership))
    return SubjectAccessRequest.objects.none()


def get_sar_for(membership: Membership, pk: int) -> SubjectAccessRequest:
    return get_object_or_404(
        sars_for(membership).select_related(
            "centre", "family__data_key", "adult", "volunteer__data_key", "disclosure"
        ),
        pk=pk,
    )


def get_review_for(membership: Membership, sar_pk: int, pk: int) -> SarItemReview:
    sar = get_sar_for(membership, sar_pk)
    item = get_object_or_404(SarItemReview.objects.filter(request=sar), pk=pk)
    item.request = sar
    return item
