"""Subject access (CHE-DP6, CHE-SAR): log a request, check identity, track the deadline,
compile everything held about the person, withhold what may be withheld, and release.

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

Left out everywhere: other adults' names, addresses, phones and emails (the other parent's
included), staff, volunteers' and referrers' names. Free text (notes, concerns, referrals) is
passed through `Redactor`, which blanks other adults' names and contact details, the
children's surnames, and the names of the centre's volunteers and user accounts (staff,
volunteers, referrers) wherever they occur; text it cannot separate is for the coordinator to
withhold as another person's data.

For a volunteer (`_volunteer_items`): their record, account, training, DBS checks and the dates
and times of the sessions they were on the rota for, never which family. DBS results are in
only when the coordinator compiling it may see them (CHE-8, `can_see_dbs`), and each one
released is logged as a DBS view; otherwise a line says the chair supplies them.

Withheld items (held to prevent violence, CHE-SAR; or another person's data) are left out of
the export and each is recorded with its reason (SarWithheldItem). The export says, whatever
the case, that information may be withheld where the law allows, so that its absence reveals
nothing. Releasing records the disclosure through the policy (`policy.decide`) and an audit
entry per download.
"""

import datetime
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone

from cccc.audit import access_log_record
from cccc.models import AccessLog, Role, User
from disclosures import policy, services
from disclosures.models import (
    CategoryChoice,
    DisclosureRequest,
    RequesterType,
    SarWithheldItem,
    SubjectAccessRequest,
    SubjectTold,
    Via,
    due_date,
)
from disclosures.models.sar import MAX_EXTENSION_MONTHS
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
from families.services import family_touch
from volunteers.access import can_see_dbs
from volunteers.models import DbsCheck, RotaEntry, TrainingRecord, Volunteer

WITHHELD_NOTICE = (
    "The law allows some information to be withheld, for example information held to prevent "
    "crime involving violence, or information about other people. Where that applies it is "
    "not included here. Ask the centre if you have questions about this copy."
)
REDACTED = "[another person]"
DBS_BY_THE_CHAIR = (
    "The chair of the centre's management committee supplies the details of your DBS checks."
)


@dataclass(frozen=True)
class Entry:
    label: str
    value: object  # str, int, bool, date, time or None
    shown: bool = True  # False: in the export, never on a screen (contact details, DBS)


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Export:
    request: SubjectAccessRequest
    centre_name: str
    generated_at: datetime.datetime
    items: list[Item]
    withheld: int


def display(value) -> str:
    """A value as a person reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return dateformat.format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def _day(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


# --- other people's data -----------------------------------------------------------------------


class Redactor:
    """Blanks other people's names and contact details in free text. Whole words for names,
    any case; a phone also without its spaces. `names` are the centre's volunteers' and users'
    names (who write the notes and concerns): blanked whole in any case, and word by word only
    as a name is written, capitalised, so that a volunteer called Will or a coordinator called
    May Day leaves "Dad will collect" alone. A term that is also the subject's own name, or a
    first name of the family's children, is left alone: it is theirs too."""

    def __init__(
        self,
        *,
        others: list[Adult],
        children: list[Child],
        own: list[str],
        names: Sequence[str] = (),
    ):
        own_terms = {o.casefold() for o in [*own, *(c.first_name for c in children)] if o}
        terms: set[str] = set(names)
        for adult in others:
            terms |= {adult.first_name, adult.last_name, adult.email, adult.phone}
            terms.add(adult.phone.replace(" ", ""))
            terms |= set(re.split(r"[,\n]", adult.address))
        terms |= {child.last_name for child in children}
        words = {word[:1].upper() + word[1:] for name in names for word in name.split()}
        self.pattern = self._compile(terms, own_terms, re.IGNORECASE)
        self.words = self._compile(words, own_terms)

    @staticmethod
    def _compile(terms: set[str], own_terms: set[str], flags=0) -> re.Pattern | None:
        terms = {t.strip() for t in terms if t and len(t.strip()) >= 2}
        terms = {t for t in terms if t.casefold() not in own_terms}
        patterns = [
            (r"\b" if t[0].isalnum() else "") + re.escape(t) + (r"\b" if t[-1].isalnum() else "")
            for t in sorted(terms, key=len, reverse=True)
        ]
        return re.compile("|".join(patterns), flags) if patterns else None

    def __call__(self, text: str) -> str:
        for pattern in (self.pattern, self.words):
            if text and pattern is not None:
                text = pattern.sub(REDACTED, text)
        return text


# --- compiling --------------------------------------------------------------------------------


def _adult_items(sar: SubjectAccessRequest) -> list[Item]:
    adult = Adult.objects.select_related("family__data_key").get(pk=sar.adult_id)
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
    volunteers = Volunteer.objects.filter(centre_id=family.centre_id).select_related("data_key")
    names = [v.full_name for v in volunteers]  # each decrypted under its own data key
    names += User.objects.filter(centre_id=family.centre_id).values_list("full_name", flat=True)
    redact = Redactor(
        others=others,
        children=children,
        own=[adult.first_name, adult.last_name],
        names=names,
    )

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
                Entry("Kept apart from another adult at the centre", bool(kept_apart)),
            ),
        )
    ]
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
                (Entry("Written on", note.written_at), Entry("Note", redact(note.text))),
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
                    Entry("Concern", redact(concern.text)),
                    Entry("Status", concern.get_status_display()),
                    Entry("Outcome", redact(concern.outcome)),
                ),
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
                    Entry("Court order", redact(referral.court_order)),
                    Entry("Access needs", redact(referral.access_needs)),
                    Entry("Reason it was declined", redact(referral.decline_reason)),
                    Entry("Next review due", referral.review_due),
                ),
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
                    Entry("Details", redact(referral.risk_details)),
                ),
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
                    Entry("What was released", redact(req.released)),
                ),
            )
        )
    return items


def _volunteer_items(sar: SubjectAccessRequest, by: User) -> list[Item]:
    volunteer = Volunteer.objects.select_related("data_key", "user").get(pk=sar.volunteer_id)
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
        items.append(
            Item(
                "account",
                "Your record",
                "Your account",
                (
                    Entry("Name", user.full_name),
                    Entry("Sign-in email", user.email, shown=False),
                    Entry("Role", user.get_role_display()),
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
    if can_see_dbs(by):
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


def sar_export(sar: SubjectAccessRequest, *, by: User) -> Export:
    """What the person receives: every item but the withheld ones."""
    withheld = set(SarWithheldItem.objects.filter(request=sar).values_list("item_key", flat=True))
    items = [item for item in sar_items(sar, by=by) if item.key not in withheld]
    return Export(
        request=sar,
        centre_name=sar.centre.name,
        generated_at=timezone.now(),
        items=items,
        withheld=len(withheld),
    )


def _json_value(value):
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def export_json(export: Export) -> bytes:
    """The complete, machine-readable copy."""
    sar = export.request
    document = {
        "format": "subject-access-export",
        "version": 1,
        "centre": export.centre_name,
        "request": {"id": sar.pk, "received_on": sar.received_on, "due_on": sar.due_on},
        "generated_at": export.generated_at,
        "notice": WITHHELD_NOTICE,
        "items": [
            {
                "key": item.key,
                "section": item.section,
                "title": item.title,
                "fields": [{"label": e.label, "value": _json_value(e.value)} for e in item.entries],
            }
            for item in export.items
        ],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


# --- writes -------------------------------------------------------------------------------------


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _check_coordinator(by: User, centre_id: int) -> None:
    if by.role != Role.COORDINATOR or by.centre_id != centre_id:
        raise ValidationError("Only the centre's coordinator handles subject access requests.")


def _lock_open(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if locked.status != SubjectAccessRequest.Status.OPEN:
        raise ValidationError(f"This request is {locked.get_status_display().lower()}.")
    return locked


def _check_identity(checked_on: datetime.date | None, how: str, received_on) -> dict:
    errors = {}
    if checked_on is None and how:
        errors["identity_checked_on"] = "Say when the identity was checked."
    if checked_on is not None:
        if not how:
            errors["identity_check"] = "Say how the identity was checked."
        if checked_on > timezone.localdate():
            errors["identity_checked_on"] = "An identity cannot be checked in the future."
        elif received_on and checked_on < received_on:
            errors["identity_checked_on"] = "Check the identity on or after receiving the request."
    return errors


@transaction.atomic
def sar_record(
    *,
    by: User,
    received_on: datetime.date,
    received_via: str,
    adult: Adult | None = None,
    volunteer: Volunteer | None = None,
    identity_checked_on: datetime.date | None = None,
    identity_check: str = "",
) -> SubjectAccessRequest:
    """Log a request from an adult of a family or from a volunteer; due one month later."""
    if (adult is None) == (volunteer is None):
        raise ValidationError("A request is from one adult of a family or from one volunteer.")
    centre = adult.family.centre if adult is not None else volunteer.centre
    _check_coordinator(by, centre.pk)
    errors = _check_identity(identity_checked_on, identity_check, received_on)
    if received_on > timezone.localdate():
        errors["received_on"] = "A request cannot be received in the future."
    if received_via == Via.PORTAL:
        errors["received_via"] = "Say how the request reached the centre."
    if errors:
        raise ValidationError(errors)
    sar = SubjectAccessRequest(
        centre=centre,
        family=adult.family if adult is not None else None,
        adult=adult,
        volunteer=volunteer,
        received_on=received_on,
        received_via=received_via,
        identity_checked_on=identity_checked_on,
        identity_check=identity_check,
        due_on=due_date(received_on),
        recorded_by=by,
    )
    _save(sar)
    if adult is not None:
        family_touch(adult.family)
    return sar


@transaction.atomic
def sar_identity_check(
    *, sar: SubjectAccessRequest, by: User, checked_on: datetime.date, how: str
) -> SubjectAccessRequest:
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    errors = _check_identity(checked_on, how, locked.received_on)
    if errors:
        raise ValidationError(errors)
    locked.identity_checked_on = checked_on
    locked.identity_check = how
    return _save(locked)


@transaction.atomic
def sar_extend(
    *, sar: SubjectAccessRequest, by: User, months: int, reason: str
) -> SubjectAccessRequest:
    """Extend the deadline to `months` further months in all (at most two), with a reason:
    due on add_months(received_on, 1 + months)."""
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValidationError({"months": "The deadline can be extended by one or two months."})
    if months <= locked.extension_months:
        raise ValidationError(
            {"months": f"It is extended by {locked.extension_months} months already."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request needs more time."})
    locked.extension_months = months
    locked.extension_reason = reason.strip()
    locked.due_on = due_date(locked.received_on, months)
    return _save(locked)


@transaction.atomic
def sar_withhold(
    *, sar: SubjectAccessRequest, by: User, item_key: str, ground: str, reason: str
) -> SarWithheldItem:
    """Leave one item out of the export, recording why."""
    _check_coordinator(by, sar.centre_id)
    _lock_open(sar)
    if item_key not in {item.key for item in sar_items(sar, by=by)}:
        raise ValidationError("That item is not part of this request.")
    if ground not in SarWithheldItem.Ground.values:
        raise ValidationError({"ground": "Choose why it is withheld."})
    if not reason.strip():
        raise ValidationError({"reason": "Record the reason: every withheld item needs one."})
    if SarWithheldItem.objects.filter(request=sar, item_key=item_key).exists():
        raise ValidationError("That item is withheld already.")
    return _save(
        SarWithheldItem(
            request=sar, item_key=item_key, ground=ground, reason=reason.strip(), recorded_by=by
        )
    )


@transaction.atomic
def sar_restore(*, item: SarWithheldItem, by: User) -> None:
    """Put a withheld item back into the export, before release only."""
    _check_coordinator(by, item.request.centre_id)
    _lock_open(item.request)
    item.delete()


@transaction.atomic
def sar_close(*, sar: SubjectAccessRequest, by: User, reason: str) -> SubjectAccessRequest:
    """Close without release (withdrawn, identity not confirmed, nothing held)."""
    _check_coordinator(by, sar.centre_id)
    locked = _lock_open(sar)
    if reason not in SubjectAccessRequest.CloseReason.values:
        raise ValidationError({"reason": "Choose why the request is closed."})
    locked.status = SubjectAccessRequest.Status.CLOSED
    locked.close_reason = reason
    locked.closed_at = timezone.now()
    return _save(locked)


def _received_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@transaction.atomic
def sar_release(*, sar: SubjectAccessRequest, by: User, fmt: str) -> Export:
    """The export, for download. The first download releases it: the policy is asked
    (a person's own data, CHE-DP6, CHE-SAR), the release is recorded as a decided disclosure
    request about the family (a volunteer's has no family: the request keeps the clauses),
    and the request stops being open. Every download writes an audit entry."""
    _check_coordinator(by, sar.centre_id)
    locked = SubjectAccessRequest.objects.select_for_update().get(pk=sar.pk)
    if locked.status == SubjectAccessRequest.Status.CLOSED:
        raise ValidationError("This request was closed without release.")
    if locked.identity_checked_on is None:
        raise ValidationError("Check the person's identity before releasing anything.")
    export = sar_export(sar, by=by)
    if locked.status == SubjectAccessRequest.Status.OPEN:
        decision = policy.decide(
            policy.Request(
                services.variant_of(sar.centre),
                policy.Requester.DATA_SUBJECT,
                policy.Category.OWN_DATA,
            )
        )
        if not decision.permitted:
            raise services.Refused(decision)
        if sar.adult_id is not None:
            adult = sar.adult
            req = services.request_receive(
                family=sar.family,
                by=by,
                requester_type=RequesterType.DATA_SUBJECT,
                requester_name=f"{adult.first_name} {adult.last_name}",
                received_via=sar.received_via,
                received_at=_received_at(sar.received_on),
                category=CategoryChoice.OWN_DATA,
                detail=f"Subject access request #{sar.pk}.",
                subject_adult=adult,
                subject_access=True,
            )
            locked.disclosure = services.request_decide(
                request=req,
                by=by,
                permitted=True,
                released=(
                    f"Subject access export of request #{sar.pk}: {len(export.items)} items, "
                    f"{export.withheld} withheld."
                ),
                subject_told=SubjectTold.YES,
                subject_told_on=timezone.localdate(),
            )
        # On the row as it is now: the caller's copy may predate an extension.
        locked.status = SubjectAccessRequest.Status.RELEASED
        locked.released_at = timezone.now()
        locked.released_by = by
        locked.clauses = ",".join(decision.clauses)
        _save(locked)
    dbs_ids = [int(i.key.split(":")[1]) for i in export.items if i.key.startswith("dbs:")]
    for check in DbsCheck.objects.filter(pk__in=dbs_ids).only("pk").order_by("pk"):
        # As volunteers' DBS page logs every outcome it shows (volunteers/dbs_views.py).
        access_log_record(
            user=by,
            action=AccessLog.Action.VIEW_DBS,
            record=check,
            detail=f"DBS outcome in subject access export #{sar.pk}",
            centre=sar.centre,
        )
    access_log_record(
        user=by,
        action=AccessLog.Action.VIEW_SAR_EXPORT,
        record=sar,
        detail=(
            f"format={fmt} items={len(export.items)} withheld={export.withheld} "
            f"clauses={locked.clauses}"
        ),
        centre=sar.centre,
    )
    return export
