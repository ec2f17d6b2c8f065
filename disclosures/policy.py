"""The confidentiality policy, as one table and one function (SPEC §5).

Every release of information outside the centre asks `decide()` first and records what it
answered. The table below is SPEC §5's table, row for row, one table for every centre. Where
a row has exceptions, each is a ground that permits the request if it holds; rows are tried
top to bottom and the first row whose category matches answers.

A policy variant is data (`VARIANTS`): the clause IDs behind each row, and which exceptions
it has (CHI: Chichester, CHE: Chesterfield, NAC: the NACCC specimen). An exception a variant
does not name never applies in it: "required by law" is Chichester's alone.

To change what the centre may release, change this table: nothing else decides.
"""

from dataclasses import dataclass, field
from enum import StrEnum


class Variant(StrEnum):
    CHICHESTER = "chichester"
    CHESTERFIELD = "chesterfield"
    NACCC = "naccc"


class Category(StrEnum):
    ATTENDANCE = "attendance"  # dates and times of attendance and non-attendance
    FAMILY_INFO = "family_info"  # anything else about a family
    CONTACT_DETAILS = "contact_details"  # a parent's address, phone or email
    COURT_REPORT = "court_report"  # a report or statement for family court proceedings
    ASSESSMENT = "assessment"  # a family assessment on the premises
    OWN_DATA = "own_data"  # a person's own data (subject access)
    # a person's own arrangements: the dates of their sessions and their own times (issue 18)
    OWN_ARRANGEMENTS = "own_arrangements"


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
    OWN_ARRANGEMENTS = "own_arrangements"


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
    Ground.OWN_ARRANGEMENTS: "A person is told their own arrangements: the dates of their "
    "sessions and their own times, and nothing about anyone else.",
}


@dataclass(frozen=True)
class Exception_:
    """A ground that permits what its row refuses, when it holds, the centre's variant has
    it, and the recipient is one it allows."""

    ground: Ground
    recipients: frozenset[Requester] | None = None  # None: any recipient
    excluded_recipients: frozenset[Requester] = frozenset()


@dataclass(frozen=True)
class Row:
    key: str  # names the row in each variant's clause IDs (VariantRules.rows)
    category: Category
    permitted: bool
    ground: Ground
    only_for: frozenset[Requester] | None = None  # the default applies only to these requesters
    exceptions: tuple[Exception_, ...] = ()


CHILD_AT_RISK = Exception_(Ground.CHILD_AT_RISK, recipients=frozenset(BREAK_GLASS_RECIPIENTS))
VIOLENCE_RISK = Exception_(Ground.VIOLENCE_RISK, recipients=frozenset(BREAK_GLASS_RECIPIENTS))

POLICY_TABLE: tuple[Row, ...] = (
    # dates and times of attendance, by the family's referrer of record: permitted at once
    Row(
        "attendance_to_referrer",
        Category.ATTENDANCE,
        permitted=True,
        ground=Ground.REFERRER_ATTENDANCE,
        only_for=frozenset({Requester.REFERRER_OF_RECORD}),
    ),
    # anything else about a family (attendance asked by anyone else included): refused
    Row(
        "attendance_to_others",
        Category.ATTENDANCE,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        exceptions=(CHILD_AT_RISK, VIOLENCE_RISK),
    ),
    Row(
        "family_info",
        Category.FAMILY_INFO,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        exceptions=(CHILD_AT_RISK, VIOLENCE_RISK),
    ),
    # a parent's address or phone, to anyone including the former partner: refused
    Row(
        "contact_details",
        Category.CONTACT_DETAILS,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
        exceptions=(
            Exception_(Ground.CONSENT),
            # "Unless required by law" (only a variant that has it): never to the former
            # partner, who receives contact details only through that parent's own consent.
            Exception_(
                Ground.REQUIRED_BY_LAW, excluded_recipients=frozenset({Requester.FORMER_PARTNER})
            ),
            CHILD_AT_RISK,
            VIOLENCE_RISK,
        ),
    ),
    # a report or statement for family court: always refused, no exception
    Row("court_report", Category.COURT_REPORT, permitted=False, ground=Ground.NO_COURT_REPORTS),
    # a family assessment on the premises: refused without a recorded agreement
    Row(
        "assessment",
        Category.ASSESSMENT,
        permitted=False,
        ground=Ground.NO_ASSESSMENT_AGREEMENT,
        exceptions=(Exception_(Ground.ASSESSMENT_AGREEMENT),),
    ),
    # a person's own data: permitted within one month, data held to prevent violence withheld
    Row(
        "own_data",
        Category.OWN_DATA,
        permitted=True,
        ground=Ground.SUBJECT_ACCESS,
        only_for=frozenset({Requester.DATA_SUBJECT}),
    ),
    Row("someone_elses_data", Category.OWN_DATA, permitted=False, ground=Ground.CONFIDENTIAL),
    # a person's own arrangements (their letter, its emails): to that person, and nobody else
    Row(
        "own_arrangements",
        Category.OWN_ARRANGEMENTS,
        permitted=True,
        ground=Ground.OWN_ARRANGEMENTS,
        only_for=frozenset({Requester.DATA_SUBJECT}),
    ),
    Row(
        "someone_elses_arrangements",
        Category.OWN_ARRANGEMENTS,
        permitted=False,
        ground=Ground.CONFIDENTIAL,
    ),
)


@dataclass(frozen=True)
class VariantRules:
    """One policy variant, as data: the clause IDs behind each row of the table (by its key),
    and the exceptions the variant has, each with the clause IDs that grant it. An exception
    a variant does not name does not apply in it."""

    rows: dict[str, tuple[str, ...]]
    exceptions: dict[Ground, tuple[str, ...]]
    # Clause IDs of another variant that a row cites where this policy is silent, with why.
    borrowed: dict[str, str] = field(default_factory=dict)


VARIANTS: dict[Variant, VariantRules] = {
    # Chichester: the ten principles (CHI-4.n), the introduction's two grounds (CHI-3), and
    # "unless required by law" for a parent's personal details (CHI-4.5).
    Variant.CHICHESTER: VariantRules(
        rows={
            "attendance_to_referrer": ("CHI-4.4",),
            "attendance_to_others": ("CHI-4.1", "CHI-4.4"),
            "family_info": ("CHI-4.1", "CHI-4.4"),
            "contact_details": ("CHI-4.5",),
            "court_report": ("CHI-4.3",),
            "assessment": ("CHI-4.6",),
            "own_data": ("CHE-DP6", "CHE-SAR"),
            "someone_elses_data": ("CHI-4.1", "CHI-4.5"),
            "own_arrangements": ("CHI-4.1", "CHI-4.5"),
            "someone_elses_arrangements": ("CHI-4.1", "CHI-4.5"),
        },
        exceptions={
            Ground.CHILD_AT_RISK: ("CHI-3",),
            Ground.VIOLENCE_RISK: ("CHI-3",),
            Ground.CONSENT: ("CHI-4.5",),
            Ground.REQUIRED_BY_LAW: ("CHI-4.5",),
            Ground.ASSESSMENT_AGREEMENT: ("CHI-4.6",),
        },
        borrowed={
            "CHE-DP6": "Chichester's policy is silent on subject access; the right is the "
            "law's, as Chesterfield's data protection principle 6 says.",
            "CHE-SAR": "The violence-prevention exemption is the law's, as Chesterfield's "
            "policy says.",
        },
    ),
    # Chesterfield: the NACCC specimen with its own additions (CHE-1: no cameras).
    Variant.CHESTERFIELD: VariantRules(
        rows={
            "attendance_to_referrer": ("CHE-4",),
            "attendance_to_others": ("CHE-4",),
            "family_info": ("CHE-4",),
            "contact_details": ("CHE-5",),
            "court_report": ("CHE-3",),
            "assessment": ("CHE-7",),
            "own_data": ("CHE-DP6", "CHE-SAR"),
            "someone_elses_data": ("CHE-5", "CHE-DP6"),
            "own_arrangements": ("CHE-5", "CHE-DP6"),
            "someone_elses_arrangements": ("CHE-4", "CHE-5"),
        },
        exceptions={
            Ground.CHILD_AT_RISK: ("CHE-4a", "CHE-6a"),
            Ground.VIOLENCE_RISK: ("CHE-4b", "CHE-6b"),
            Ground.CONSENT: ("CHE-5",),
            Ground.ASSESSMENT_AGREEMENT: ("CHE-7",),
        },
    ),
    # The NACCC specimen: Chesterfield's document without Chesterfield's additions, its
    # items numbered from 1 (NAC-n is CHE-(n+1)); docs/policy-map.md says how it was read.
    Variant.NACCC: VariantRules(
        rows={
            "attendance_to_referrer": ("NAC-3",),
            "attendance_to_others": ("NAC-3",),
            "family_info": ("NAC-3",),
            "contact_details": ("NAC-4",),
            "court_report": ("NAC-2",),
            "assessment": ("NAC-6",),
            "own_data": ("NAC-DP6", "NAC-SAR"),
            "someone_elses_data": ("NAC-4", "NAC-DP6"),
            "own_arrangements": ("NAC-4", "NAC-DP6"),
            "someone_elses_arrangements": ("NAC-3", "NAC-4"),
        },
        exceptions={
            Ground.CHILD_AT_RISK: ("NAC-3a", "NAC-5a"),
            Ground.VIOLENCE_RISK: ("NAC-3b", "NAC-5b"),
            Ground.CONSENT: ("NAC-4",),
            Ground.ASSESSMENT_AGREEMENT: ("NAC-6",),
        },
    ),
}


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
    rules = VARIANTS[request.variant]
    for row in POLICY_TABLE:
        if row.category != request.category:
            continue
        if row.only_for is not None and request.requester not in row.only_for:
            continue
        if not row.permitted:
            for exception in row.exceptions:
                if _applies(exception, rules, request):
                    return Decision(True, exception.ground, rules.exceptions[exception.ground])
        return Decision(row.permitted, row.ground, rules.rows[row.key])
    raise ValueError(f"The policy table has no row for {request.category!r}.")


def _applies(exception: Exception_, rules: VariantRules, request: Request) -> bool:
    return (
        exception.ground in request.grounds
        and exception.ground in rules.exceptions
        and (exception.recipients is None or request.requester in exception.recipients)
        and request.requester not in exception.excluded_recipients
    )
