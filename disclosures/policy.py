"""The confidentiality policy, as one table and one function (SPEC §5).

Every release of information outside the centre asks `decide()` first and records what it
answered. The table below is SPEC §5's table, row for row, with the clause IDs of each policy
variant (CHI: Chichester, CHE: Chesterfield). Where a row has exceptions, each is a ground
that permits the request if it holds; rows are tried top to bottom and the first row whose
category matches answers.

To change what the centre may release, change this table: nothing else decides.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Variant(StrEnum):
    CHICHESTER = "chichester"
    CHESTERFIELD = "chesterfield"


class Category(StrEnum):
    ATTENDANCE = "attendance"  # dates and times of attendance and non-attendance
    FAMILY_INFO = "family_info"  # anything else about a family
    CONTACT_DETAILS = "contact_details"  # a parent's address, phone or email
    COURT_REPORT = "court_report"  # a report or statement for family court proceedings
    ASSESSMENT = "assessment"  # a family assessment on the premises
    OWN_DATA = "own_data"  # a person's own data (subject access)


class Requester(StrEnum):
    REFERRER_OF_RECORD = "referrer_of_record"  # the family's own referrer
    AGENCY = "agency"  # any other referrer, solicitor, CAFCASS officer, social worker...
    CHILDRENS_SERVICES = "childrens_services"
    POLICE = "police"
    COURT = "court"
    FORMER_PARTNER = "former_partner"  # the other parent
    DATA_SUBJECT = "data_subject"  # the person the data is about
    OTHER_PERSON = "other_person"


class Ground(StrEnum):
    """Why something is permitted or refused. Exceptions are the permitting grounds."""

    REFERRER_ATTENDANCE = "referrer_attendance"
    CONFIDENTIAL = "confidential"
    CHILD_AT_RISK = "child_at_risk"
    VIOLENCE_RISK = "violence_risk"
    CONSENT = "consent"
    REQUIRED_BY_LAW = "required_by_law"
    NO_COURT_REPORTS = "no_court_reports"
    ASSESSMENT_AGREEMENT = "assessment_agreement"
    NO_ASSESSMENT_AGREEMENT = "no_assessment_agreement"
    SUBJECT_ACCESS = "subject_access"


# The exceptions of SPEC §5 that a coordinator invokes (break-glass), and who may receive.
BREAK_GLASS = {Ground.CHILD_AT_RISK, Ground.VIOLENCE_RISK}
BREAK_GLASS_RECIPIENTS = {Requester.CHILDRENS_SERVICES, Requester.POLICE}

GROUND_TEXT = {
    Ground.REFERRER_ATTENDANCE: "Dates and times of attendance may be shared with the referring "
    "agency on request.",
    Ground.CONFIDENTIAL: "Information about a family is confidential: no other information is "
    "released.",
    Ground.CHILD_AT_RISK: "A concern about the welfare of a child: passed to Children's Services "
    "and/or the police.",
    Ground.VIOLENCE_RISK: "A risk of physical violence to a user or volunteer of the centre.",
    Ground.CONSENT: "The parent has given explicit permission for this recipient.",
    Ground.REQUIRED_BY_LAW: "Disclosure is required by law.",
    Ground.NO_COURT_REPORTS: "The centre and its volunteers do not make verbal or written reports "
    "for family court proceedings.",
    Ground.ASSESSMENT_AGREEMENT: "A recorded agreement allows this agency to assess on the "
    "premises.",
    Ground.NO_ASSESSMENT_AGREEMENT: "Family assessments on the premises are not allowed without a "
    "specific agreement.",
    Ground.SUBJECT_ACCESS: "A person may see the data held about them (within one month); data "
    "held to prevent violence may be withheld.",
}


@dataclass(frozen=True)
class Exception_:
    ground: Ground
    clauses: dict[Variant, tuple[str, ...]]
    recipients: frozenset[Requester] | None = None  # None: any recipient
    excluded_recipients: frozenset[Requester] = frozenset()


@dataclass(frozen=True)
class Row:
    category: Category
    permitted: bool
    ground: Ground
    clauses: dict[Variant, tuple[str, ...]]
    only_for: frozenset[Requester] | None = None  # the default applies only to these requesters
    exceptions: tuple[Exception_, ...] = ()


def _both(chi: tuple[str, ...], che: tuple[str, ...]) -> dict[Variant, tuple[str, ...]]:
    return {Variant.CHICHESTER: chi, Variant.CHESTERFIELD: che}


CHILD_AT_RISK = Exception_(
    Ground.CHILD_AT_RISK,
    _both(("CHI-3",), ("CHE-4a", "CHE-6a")),
    recipients=frozenset(BREAK_GLASS_RECIPIENTS),
)
VIOLENCE_RISK = Exception_(
    Ground.VIOLENCE_RISK,
    _both(("CHI-3",), ("CHE-4b", "CHE-6b")),
    recipients=frozenset(BREAK_GLASS_RECIPIENTS),
)

POLICY_TABLE: tuple[Row, ...] = (
    # dates and times of attendance, by the family's referrer of record: permitted at once
    Row(
        Category.ATTENDANCE,
        permitted=True,
        ground=Ground.REFERRER_ATTENDANCE,
        clauses=_both(("CHI-4.4",), ("CHE-4",)),
        only_for=frozenset({Requester.REFERRER_OF_RECORD}),
    ),
    # anything else about a family (attendance asked by anyone else included): refused
    Row(
        Category.ATTENDANCE,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        clauses=_both(("CHI-4.1", "CHI-4.4"), ("CHE-4",)),
        exceptions=(CHILD_AT_RISK, VIOLENCE_RISK),
    ),
    Row(
        Category.FAMILY_INFO,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        clauses=_both(("CHI-4.1", "CHI-4.4"), ("CHE-4",)),
        exceptions=(CHILD_AT_RISK, VIOLENCE_RISK),
    ),
    # a parent's address or phone, to anyone including the former partner: refused
    Row(
        Category.CONTACT_DETAILS,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        clauses=_both(("CHI-4.5",), ("CHE-5",)),
        exceptions=(
            Exception_(Ground.CONSENT, _both(("CHI-4.5",), ("CHE-5",))),
            # Chichester only: "unless required by law". Never to the former partner, who
            # receives contact details only through that parent's own consent.
            Exception_(
                Ground.REQUIRED_BY_LAW,
                {Variant.CHICHESTER: ("CHI-4.5",)},
                excluded_recipients=frozenset({Requester.FORMER_PARTNER}),
            ),
            CHILD_AT_RISK,
            VIOLENCE_RISK,
        ),
    ),
    # a report or statement for family court: always refused, no exception
    Row(
        Category.COURT_REPORT,
        permitted=False,
        ground=Ground.NO_COURT_REPORTS,
        clauses=_both(("CHI-4.3",), ("CHE-3",)),
    ),
    # a family assessment on the premises: refused without a recorded agreement
    Row(
        Category.ASSESSMENT,
        permitted=False,
        ground=Ground.NO_ASSESSMENT_AGREEMENT,
        clauses=_both(("CHI-4.6",), ("CHE-7",)),
        exceptions=(Exception_(Ground.ASSESSMENT_AGREEMENT, _both(("CHI-4.6",), ("CHE-7",))),),
    ),
    # a person's own data: permitted within one month, data held to prevent violence withheld
    # (CHE-SAR). Chichester's policy is silent here; the right is the law's, as in CHE-DP6.
    Row(
        Category.OWN_DATA,
        permitted=True,
        ground=Ground.SUBJECT_ACCESS,
        clauses=_both(("CHE-DP6", "CHE-SAR"), ("CHE-DP6", "CHE-SAR")),
        only_for=frozenset({Requester.DATA_SUBJECT}),
    ),
    Row(
        Category.OWN_DATA,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        clauses=_both(("CHI-4.1", "CHI-4.5"), ("CHE-5", "CHE-DP6")),  # someone else's data
    ),
)


@dataclass(frozen=True)
class Request:
    """What is asked, by whom, and what is on record that could permit it."""

    variant: Variant
    requester: Requester
    category: Category
    # Grounds on record for this request: a live consent grant for this recipient and
    # category (CONSENT), an assessment agreement (ASSESSMENT_AGREEMENT), a legal requirement
    # (REQUIRED_BY_LAW), or an exception invoked by a coordinator with a written reason.
    grounds: frozenset[Ground] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Decision:
    permitted: bool
    ground: Ground
    clauses: tuple[str, ...]

    @property
    def explanation(self) -> str:
        return GROUND_TEXT[self.ground]

    @property
    def outcome(self) -> str:
        return "permitted" if self.permitted else "refused"


def decide(request: Request) -> Decision:
    """Permitted or refused, on which ground, under which clauses of the centre's policy."""
    for row in POLICY_TABLE:
        if row.category != request.category:
            continue
        if row.only_for is not None and request.requester not in row.only_for:
            continue
        if not row.permitted:
            for exception in row.exceptions:
                if _applies(exception, request):
                    return Decision(True, exception.ground, exception.clauses[request.variant])
        return Decision(row.permitted, row.ground, row.clauses[request.variant])
    raise ValueError(f"The policy table has no row for {request.category!r}.")


def _applies(exception: Exception_, request: Request) -> bool:
    return (
        exception.ground in request.grounds
        and request.variant in exception.clauses
        and (exception.recipients is None or request.requester in exception.recipients)
        and request.requester not in exception.excluded_recipients
    )
