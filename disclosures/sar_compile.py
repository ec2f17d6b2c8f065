"""Subject access: compiling everything held about the person (CHE-DP6, CHE-SAR).

What an export holds, for an adult of a family (`_adult_items`):
- their own record: name, role, address, phone, email, the family's reference;
- their children's first names only: the children's surnames, dates of birth and needs are
  the children's own data, which a parent may ask for on the child's behalf in a separate
  request the coordinator judges on its own;
- their acknowledgements of the centre rules and the consents they gave (including whom
  they allowed to receive their details: they named that person themselves);
- their own attendance at each session (planned and actual times, outcome), never another
  adult's times;
- the family-level records that concern them: notes of sessions they were at, every concern
  about the family, each referral (its risk screening as a separate item, so it can be
  withheld on its own), and the disclosure requests about them (who asked by type and agency,
  never the requester's name);
- whether they are kept apart from another adult, never who that adult is.

Items that can hold someone else's data or data held to prevent violence (free text written
by or about others, the keep-apart flag) carry `review`, why: they stay out of the export
until the coordinator marks each released or withheld (disclosures/sar_export.py). Left out
everywhere: other adults' names and contact details, staff, volunteers' and referrers' names.
Free text goes through `Redactor` (disclosures/sar_redact.py), which blanks other people's
details however written; its `segments` let the review page highlight what is blanked.

For a volunteer (`_volunteer_items`): their record, account, training, DBS checks, when they
are usually available, and the dates and times of the sessions they were on the rota for,
never which family. DBS results are in only when the coordinator compiling it may see them
(CHE-8, `reads_dbs_at`), and each one released is logged as a DBS view; otherwise a line says
the chair supplies them.

`sar_items` returns every item, withheld and unreviewed ones included.
"""

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import Q
from django.utils import dateformat, timezone

from cccc.models import Membership, User
from disclosures.models import DisclosureRequest, SubjectAccessRequest
from disclosures.sar_redact import REDACTED, redactor_for
from families.models import (
    Adult,
    Child,
    Concern,
    KeepApart,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    SessionNote,
)
from volunteers.access import reads_dbs_at
from volunteers.models import (
    DbsCheck,
    RotaEntry,
    TrainingRecord,
    Volunteer,
    VolunteerAvailability,
)

DBS_BY_THE_CHAIR = (
    "The chair of the centre's management committee supplies the details of your DBS checks."
)


FREE_TEXT = "Free text written by or about others: it can hold another person's data."
VIOLENCE = "Held to prevent violence: it can tell another person's whereabouts."


@dataclass(frozen=True)
class Entry:
    label: str
    value: object  # str, int, bool, date, time or None
    shown: bool = True  # False: in the export, never on a screen (contact details, DBS)
    # Free text: its pieces, each with whether the export blanks it (for the review page).
    segments: tuple[tuple[str, bool], ...] | None = None


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    title: str
    entries: tuple[Entry, ...]
    review: str = ""  # why it stays out of the export until the coordinator reviews it

    @property
    def needs_review(self) -> bool:
        return bool(self.review)


def _day(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def _adult_items(sar: SubjectAccessRequest) -> list[Item]:
    # A request names an adult or a volunteer; sar_items sends it here when not a volunteer.
    adult_id = cast(int, sar.adult_id)
    adult = Adult.objects.select_related("family__data_key").get(pk=adult_id)
    family = adult.family
    kept_apart = list(
        KeepApart.objects.filter(adult_a=adult).values_list("adult_b_id", flat=True)
    ) + list(KeepApart.objects.filter(adult_b=adult).values_list("adult_a_id", flat=True))
    others = list(
        Adult.objects.filter(Q(family=family) | Q(pk__in=kept_apart))
        .exclude(pk=adult.pk)
        .select_related("family__data_key")
    )
    children = list(Child.objects.filter(family=family).select_related("family__data_key"))
    redactor = redactor_for(adult, others=others, children=children)

    def free(label: str, text: str) -> Entry:
        segments = tuple(redactor.segments(text))
        value = "".join(REDACTED if hidden else piece for piece, hidden in segments)
        return Entry(label, value, segments=segments)

    items = [
        Item(
            "person",
            "Your record",
            "Your details",
            (
                Entry("First name", adult.first_name),
                Entry("Last name", adult.last_name),
                Entry("Role", adult.get_role_display()),
                Entry("Address", adult.address, shown=False),
                Entry("Phone", adult.phone, shown=False),
                Entry("Email", adult.email, shown=False),
                Entry("Family reference", family.reference),
            ),
        )
    ]
    if kept_apart:
        items.append(
            Item(
                "keep_apart",
                "Your record",
                "Arrangements at the centre",
                (Entry("Kept apart from another adult at the centre", True),),
                review=VIOLENCE,
            )
        )
    if children:
        items.append(
            Item(
                "children",
                "Your record",
                "Children (first names only)",
                tuple(Entry("First name", child.first_name) for child in children),
            )
        )
    for ack in RulesAcknowledgement.objects.filter(adult=adult).order_by("acknowledged_on", "pk"):
        items.append(
            Item(
                f"acknowledgement:{ack.pk}",
                "Centre rules",
                f"Rules acknowledged on {_day(ack.acknowledged_on)}",
                (
                    Entry("Rules version", ack.policy_version),
                    Entry("No cameras, phones or other recording", ack.no_recording),
                    Entry("Will not discuss other users", ack.no_discussing_others),
                ),
            )
        )
    grants = adult.consent_grants.select_related("adult__family__data_key").order_by(
        "given_on", "pk"
    )
    for grant in grants:
        items.append(
            Item(
                f"consent:{grant.pk}",
                "Your consents",
                f"Consent given on {_day(grant.given_on)}",
                (
                    Entry("May receive your details", grant.recipient_name),
                    Entry("Their agency", grant.recipient_agency),
                    Entry("Details", grant.items_display()),
                    Entry("How you gave it", grant.get_how_given_display()),
                    Entry("Expires on", grant.expires_on),
                    Entry("Withdrawn on", grant.revoked_on),
                ),
            )
        )
    attendances = (
        SessionAttendance.objects.filter(adult=adult)
        .select_related("session")
        .order_by("session__date", "session__starts_at", "pk")
    )
    session_ids = []
    for att in attendances:
        session = att.session
        session_ids.append(session.pk)
        items.append(
            Item(
                f"attendance:{att.pk}",
                "Sessions",
                f"Session on {_day(session.date)}",
                (
                    Entry("Contact from", session.starts_at),
                    Entry("Contact until", session.ends_at),
                    Entry("Type", session.get_contact_type_display()),
                    Entry("Session", session.get_status_display()),
                    Entry("You were expected at", att.arrives_at),
                    Entry("And to leave at", att.departs_at),
                    Entry("Attendance", att.get_outcome_display()),
                    Entry("You arrived at", att.actual_arrival),
                    Entry("You left at", att.actual_departure),
                ),
            )
        )
    notes = (
        SessionNote.objects.filter(session_id__in=session_ids)
        .select_related("session__family__data_key")
        .order_by("written_at", "pk")
    )
    for note in notes:
        items.append(
            Item(
                f"session_note:{note.pk}",
                "Session notes",
                f"Note on the session of {_day(note.session.date)}",
                (Entry("Written on", note.written_at), free("Note", note.text)),
                review=FREE_TEXT,
            )
        )
    concerns = (
        Concern.objects.filter(family=family)
        .select_related("family__data_key")
        .order_by("raised_at", "pk")
    )
    for concern in concerns:
        items.append(
            Item(
                f"concern:{concern.pk}",
                "Concerns",
                f"{concern.get_kind_display()} raised on "
                f"{_day(timezone.localdate(concern.raised_at))}",
                (
                    free("Concern", concern.text),
                    Entry("Status", concern.get_status_display()),
                    free("Outcome", concern.outcome),
                ),
                review=VIOLENCE if concern.kind == Concern.Kind.VIOLENCE else FREE_TEXT,
            )
        )
    referrals = (
        Referral.objects.filter(family=family)
        .select_related("family__data_key")
        .order_by("received_on", "pk")
    )
    for referral in referrals:
        received = _day(referral.received_on)
        items.append(
            Item(
                f"referral:{referral.pk}",
                "Referrals",
                f"Referral received on {received}",
                (
                    Entry("Referred by", referral.get_agency_type_display()),
                    Entry("Agency", referral.agency_name),
                    Entry("Contact", referral.get_contact_type_display()),
                    Entry("Status", referral.get_status_display()),
                    free("Court order", referral.court_order),
                    free("Access needs", referral.access_needs),
                    free("Reason it was declined", referral.decline_reason),
                    Entry("Next review due", referral.review_due),
                ),
                review=FREE_TEXT,
            )
        )
        items.append(
            Item(
                f"referral:{referral.pk}:risk",
                "Referrals",
                f"Risk screening of the referral received on {received}",
                (
                    Entry("Domestic abuse", referral.get_risk_domestic_abuse_display()),
                    Entry("Abduction", referral.get_risk_abduction_display()),
                    Entry("Substance misuse", referral.get_risk_substance_misuse_display()),
                    Entry("Mental health", referral.get_risk_mental_health_display()),
                    free("Details", referral.risk_details),
                ),
                review=VIOLENCE,
            )
        )
    requests = (
        DisclosureRequest.objects.filter(subject_adult=adult)
        .select_related("family__data_key")
        .defer("requester_name", "detail", "refusal_text", "break_glass_reason")
        .order_by("received_at", "pk")
    )
    for req in requests:
        items.append(
            Item(
                f"disclosure:{req.pk}",
                "Requests for your information",
                f"Request received on {_day(timezone.localdate(req.received_at))}",
                (
                    Entry("Asked by", req.get_requester_type_display()),
                    Entry("Their agency", req.requester_agency),
                    Entry("Asked for", req.get_category_display()),
                    Entry("Decision", req.get_outcome_display()),
                    Entry("Policy clauses", ", ".join(req.clause_list)),
                    free("What was released", req.released),
                ),
                review=FREE_TEXT,
            )
        )
    return items


def _volunteer_items(sar: SubjectAccessRequest, by: User) -> list[Item]:
    volunteer_id = cast(int, sar.volunteer_id)  # sar_items sends only volunteers' requests
    volunteer = Volunteer.objects.select_related("data_key", "user", "centre").get(pk=volunteer_id)
    items = [
        Item(
            "person",
            "Your record",
            "Your details",
            (
                Entry("First name", volunteer.first_name),
                Entry("Last name", volunteer.last_name),
                Entry("Phone", volunteer.phone, shown=False),
                Entry("Email", volunteer.email, shown=False),
                Entry("Status", volunteer.get_status_display()),
                Entry("Applied on", volunteer.applied_on),
                Entry("Appointed on", volunteer.appointed_on),
                Entry("Resigned on", volunteer.resigned_on),
                Entry("Confidentiality agreement signed on", volunteer.agreement_signed_on),
                Entry("Policy version agreed", volunteer.agreement_policy_version),
            ),
        )
    ]
    if volunteer.user is not None:
        user = volunteer.user
        # Their role at this centre: a SAR to one centre says nothing of their others.
        here = Membership.objects.filter(user_id=user.pk, centre_id=volunteer.centre_id).first()
        items.append(
            Item(
                "account",
                "Your record",
                "Your account",
                (
                    Entry("Name", user.full_name),
                    Entry("Sign-in email", user.email, shown=False),
                    Entry("Role", here.get_role_display() if here is not None else ""),
                    Entry("Created on", user.date_joined),
                ),
            )
        )
    for course in TrainingRecord.objects.filter(volunteer=volunteer).order_by("completed_on"):
        items.append(
            Item(
                f"training:{course.pk}",
                "Training",
                f"{course.course}, completed on {_day(course.completed_on)}",
                (Entry("Course", course.course), Entry("Expires on", course.expires_on)),
            )
        )
    checks = (
        DbsCheck.objects.filter(volunteer=volunteer)
        .select_related("volunteer__data_key")
        .order_by("issued_on", "pk")
    )
    if reads_dbs_at(by, volunteer.centre):
        for check in checks:
            # On screen the results stay hidden; in the export, sar_release logs each as
            # VIEW_DBS.
            items.append(
                Item(
                    f"dbs:{check.pk}",
                    "DBS checks",
                    f"DBS check issued on {_day(check.issued_on)}",
                    (
                        Entry("Level", check.get_level_display(), shown=False),
                        Entry("Certificate number", check.certificate_number, shown=False),
                        Entry("Outcome", check.get_outcome_display(), shown=False),
                        Entry("Renewal due", check.renewal_due),
                    ),
                )
            )
    elif checks.exists():
        # The centre lets only the chair see DBS results (CHE-8): they are not read at all.
        items.append(
            Item("dbs", "DBS checks", "DBS checks", (Entry("DBS checks", DBS_BY_THE_CHAIR),))
        )
    for window in VolunteerAvailability.objects.filter(volunteer=volunteer).order_by(
        "weekday", "starts_at", "pk"
    ):
        items.append(
            Item(
                f"availability:{window.pk}",
                "When you are usually available",
                window.get_weekday_display(),
                (Entry("From", window.starts_at), Entry("Until", window.ends_at)),
            )
        )
    rota = (
        RotaEntry.objects.filter(volunteer=volunteer)
        .select_related("session")
        .order_by("session_date", "pk")
    )
    for entry in rota:
        items.append(
            Item(
                f"rota:{entry.pk}",
                "Rota",
                f"Session on {_day(entry.session.date)}",
                (
                    Entry("From", entry.session.starts_at),
                    Entry("Until", entry.session.ends_at),
                    Entry("Session", entry.session.get_status_display()),
                ),
            )
        )
    return items


def sar_items(sar: SubjectAccessRequest, *, by: User) -> list[Item]:
    """Everything held about the subject that `by` may read, decrypted, withheld items
    included. A volunteer's DBS results only when `by` may see them (CHE-8)."""
    return _volunteer_items(sar, by) if sar.is_volunteer else _adult_items(sar)
