"""Every write that matters leaves its audit entry, in its service, in the same transaction
(issue 23; SPEC §3, §5): after an incident the chair can prove from the trail who recorded a
witness summons, a police visit, an assessment agreement, an appointment, a DBS result, a
consent or a retention decision, and when.

Every public function of the apps' service modules is listed here, in one of three places:
- RECIPES: exercised below; it must write exactly one entry of its kind, for its record, by
  its user, holding no personal value;
- PROVED_ELSEWHERE: audited, and the named test asserts its exact entry;
- EXEMPT: writes nothing the trail must prove, or only reads, with the reason.
A new service in none of them fails `test_every_service_is_audited_or_exempt_with_a_reason`.
"""

import ast
import datetime
import importlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import models
from django.utils import timezone

from cccc.models import AccessLog, User
from disclosures.assessment_services import assessment_agreement_end, assessment_agreement_record
from disclosures.consent_services import consent_grant_record, consent_grant_revoke
from disclosures.letter_services import letter_release
from disclosures.police_services import police_visit_record
from disclosures.summons_services import summons_checklist_update, summons_record
from families.email_consent_services import email_consent_give, email_consent_withdraw
from families.room_services import room_create, room_update
from families.series_services import Pattern, series_book, series_cancel_rest
from families.services import contact_reveal
from families.session_services import session_record_past
from retention.review import keep_longer_record
from tests.factories import (
    AdultFactory,
    AppointedVolunteerFactory,
    AssessmentAgreementFactory,
    CalendarFeedFactory,
    ChildFactory,
    ConsentGrantFactory,
    DbsCheckFactory,
    EmailConsentFactory,
    FamilyFactory,
    RoomFactory,
    VolunteerFactory,
    WitnessSummonsFactory,
)
from volunteers.dbs_services import dbs_check_record, dbs_checks_view
from volunteers.feed_services import calendar_feed_renew, calendar_feed_revoke
from volunteers.models import DbsLevel, DbsOutcome, Volunteer
from volunteers.services import volunteer_appoint, volunteer_resign

ROOT = Path(__file__).resolve().parents[1]
APPS = ("cccc", "disclosures", "families", "retention", "volunteers", "overview")
# Modules that hold write services without "services" in their name.
OTHER_SERVICE_MODULES = ("retention.review",)
# Typed into every free-text field of a recipe: it must never reach an entry.
CANARY = "Quokka Zanzibar"

Act = Callable[[], models.Model]
Recipe = Callable[..., tuple[Act, str, User]]


def service_modules() -> list[str]:
    found = [
        f"{path.parent.name}.{path.stem}"
        for app in APPS
        for path in sorted((ROOT / app).glob("*services*.py"))
    ]
    return [*found, *OTHER_SERVICE_MODULES]


def public_functions() -> set[str]:
    names = set()
    for module_name in service_modules():
        module = importlib.import_module(module_name)
        for name, obj in inspect.getmembers(module, inspect.isfunction):
            if obj.__module__ == module_name and not name.startswith("_"):
                names.add(f"{module_name}.{name}")
    return names


# --- recipes: each sets up, and returns the write, its entry's kind and its user -------------


def _summons_record(cast):
    family = FamilyFactory(centre=cast.centre)

    def act():
        return summons_record(
            centre=cast.centre, by=cast.chair, court=CANARY, case_number="ZZ99",
            received_on=timezone.localdate(), served="centre", recipient=CANARY,
            family=family, notes=CANARY,
        )  # fmt: skip

    return act, AccessLog.Action.SUMMONS, cast.chair


def _summons_checklist_update(cast):
    summons = WitnessSummonsFactory(centre=cast.centre, court=CANARY)

    def act():
        return summons_checklist_update(
            summons=summons, by=cast.chair, letter_produced=True, outcome="set_aside", close=True
        )

    return act, AccessLog.Action.SUMMONS, cast.chair


def _police_visit_record(cast):
    family = FamilyFactory(centre=cast.centre)

    def act():
        return police_visit_record(
            centre=cast.centre, by=cast.coordinator, occurred_at=timezone.now(),
            purpose=CANARY, outcome=CANARY, officer_name=CANARY, officer_number="PC 999",
            order_to_serve=True, family=family,
        )  # fmt: skip

    return act, AccessLog.Action.POLICE_VISIT, cast.coordinator


def _assessment_agreement_record(cast):
    family = FamilyFactory(centre=cast.centre)
    today = timezone.localdate()

    def act():
        return assessment_agreement_record(
            family=family, by=cast.coordinator, agency=CANARY, valid_from=today,
            valid_until=today + datetime.timedelta(days=30), terms=CANARY,
        )  # fmt: skip

    return act, AccessLog.Action.ASSESSMENT_AGREEMENT, cast.coordinator


def _assessment_agreement_end(cast):
    agreement = AssessmentAgreementFactory(family=FamilyFactory(centre=cast.centre), agency=CANARY)
    return (
        lambda: assessment_agreement_end(agreement=agreement, by=cast.coordinator),
        AccessLog.Action.ASSESSMENT_AGREEMENT,
        cast.coordinator,
    )


def _volunteer_appoint(cast):
    volunteer = VolunteerFactory(
        centre=cast.centre, last_name=CANARY, status=Volunteer.Status.CLEARED,
        agreement_signed_on=timezone.localdate(), agreement_policy_version="1",
    )  # fmt: skip
    volunteer.clearance_expires = DbsCheckFactory(volunteer=volunteer).renewal_due
    volunteer.save()
    return (
        lambda: volunteer_appoint(volunteer=volunteer, by=cast.coordinator),
        AccessLog.Action.VOLUNTEER_STATUS,
        cast.coordinator,
    )


def _volunteer_resign(cast):
    volunteer = AppointedVolunteerFactory(centre=cast.centre, last_name=CANARY)

    def act():
        volunteer_resign(volunteer=volunteer, resigned_on=timezone.localdate(), by=cast.coordinator)
        return volunteer

    return act, AccessLog.Action.VOLUNTEER_STATUS, cast.coordinator


def _dbs_check_record(cast):
    volunteer = VolunteerFactory(centre=cast.centre, last_name=CANARY)

    def act():
        check, _lost = dbs_check_record(
            volunteer=volunteer, level=DbsLevel.ENHANCED_BARRED, certificate_number="001234567890",
            outcome=DbsOutcome.CLEAR, issued_on=timezone.localdate(), by=cast.chair,
        )  # fmt: skip
        return check

    return act, AccessLog.Action.DBS_RESULT, cast.chair


def _dbs_checks_view(cast):
    volunteer = AppointedVolunteerFactory(centre=cast.centre, last_name=CANARY)
    return (
        lambda: dbs_checks_view(volunteer=volunteer, by=cast.chair)[0],
        AccessLog.Action.VIEW_DBS,
        cast.chair,
    )


def _keep_longer_record(cast):
    family = FamilyFactory(centre=cast.centre)

    def act():
        return keep_longer_record(
            by=cast.coordinator, reason=CANARY, family=family,
            review_on=timezone.localdate() + datetime.timedelta(days=365),
        )  # fmt: skip

    return act, AccessLog.Action.RETENTION_KEEP, cast.coordinator


def _consent_grant_record(cast):
    grant = ConsentGrantFactory.build(
        adult=AdultFactory(family=FamilyFactory(centre=cast.centre)), recipient_name=CANARY
    )
    return (
        lambda: consent_grant_record(grant=grant, by=cast.coordinator),
        AccessLog.Action.CONSENT,
        cast.coordinator,
    )


def _consent_grant_revoke(cast):
    grant = ConsentGrantFactory(
        adult=AdultFactory(family=FamilyFactory(centre=cast.centre)), recipient_name=CANARY
    )
    return (
        lambda: consent_grant_revoke(grant=grant, by=cast.coordinator),
        AccessLog.Action.CONSENT,
        cast.coordinator,
    )


def _email_consent_give(cast):
    adult = AdultFactory(family=FamilyFactory(centre=cast.centre), last_name=CANARY)
    return (
        lambda: email_consent_give(
            adult=adult, given_on=timezone.localdate(), how_given="written", by=cast.coordinator
        ),
        AccessLog.Action.CONSENT,
        cast.coordinator,
    )


def _email_consent_withdraw(cast):
    consent = EmailConsentFactory(
        adult=AdultFactory(family=FamilyFactory(centre=cast.centre), last_name=CANARY)
    )
    return (
        lambda: email_consent_withdraw(consent=consent, how_withdrawn="phone", by=cast.coordinator),
        AccessLog.Action.CONSENT,
        cast.coordinator,
    )


def _letter_release(cast):
    adult = AdultFactory(family=FamilyFactory(centre=cast.centre), last_name=CANARY)
    return (
        lambda: letter_release(adult=adult, by=cast.coordinator, how="page").request,
        AccessLog.Action.DISCLOSURE,
        cast.coordinator,
    )


def _calendar_feed_renew(cast):
    volunteer = Volunteer.objects.get(user=cast.volunteer)
    return (
        lambda: calendar_feed_renew(volunteer=volunteer, by=cast.volunteer).feed,
        AccessLog.Action.CALENDAR_FEED,
        cast.volunteer,
    )


def _calendar_feed_revoke(cast):
    volunteer = Volunteer.objects.get(user=cast.volunteer)
    CalendarFeedFactory(volunteer=volunteer, created_by=cast.volunteer)
    return (
        lambda: calendar_feed_revoke(volunteer=volunteer, by=cast.volunteer),
        AccessLog.Action.CALENDAR_FEED,
        cast.volunteer,
    )


def _contact_reveal(cast):
    adult = AdultFactory(family=FamilyFactory(centre=cast.centre), last_name=CANARY)
    return (
        lambda: contact_reveal(adult=adult, by=cast.coordinator),
        AccessLog.Action.REVEAL_CONTACT,
        cast.coordinator,
    )


def _room_create(cast):
    return (
        lambda: room_create(centre=cast.centre, name=CANARY, capacity=3, by=cast.coordinator),
        AccessLog.Action.ROOM,
        cast.coordinator,
    )


def _room_update(cast):
    room = RoomFactory(centre=cast.centre)

    def act():
        return room_update(room=room, name=CANARY, capacity=2, in_use=False, by=cast.coordinator)

    return act, AccessLog.Action.ROOM, cast.coordinator


def _bookable(cast):
    family = FamilyFactory(centre=cast.centre, accepted=True)
    adult = AdultFactory(family=family, last_name=CANARY)
    ChildFactory(family=family, first_name=CANARY)
    return family, adult


def _session_record_past(cast):
    family, adult = _bookable(cast)

    def act():
        return session_record_past(
            family=family, date=timezone.localdate() - datetime.timedelta(days=30),
            starts_at=datetime.time(10), ends_at=datetime.time(11), contact_type="supported",
            adults=[adult], bringing=adult, recorded_by=cast.coordinator, instructions=CANARY,
        )  # fmt: skip

    return act, AccessLog.Action.SESSION_PAST, cast.coordinator


def _pattern(cast, adult):
    return Pattern(
        every="weekly", first_date=timezone.localdate() + datetime.timedelta(days=1), until=None,
        count=3, starts_at=datetime.time(10), ends_at=datetime.time(11),
        room=RoomFactory(centre=cast.centre), contact_type="supported", adults=[adult],
        bringing=adult, instructions=CANARY,
    )  # fmt: skip


def _series_book(cast):
    family, adult = _bookable(cast)
    pattern = _pattern(cast, adult)
    dates = [pattern.first_date + datetime.timedelta(weeks=n) for n in range(3)]

    def act():
        return series_book(family=family, pattern=pattern, dates=dates, booked_by=cast.coordinator)

    return act, AccessLog.Action.SERIES, cast.coordinator


def _series_cancel_rest(cast):
    family, adult = _bookable(cast)
    pattern = _pattern(cast, adult)
    series = series_book(
        family=family, pattern=pattern, dates=[pattern.first_date], booked_by=cast.coordinator
    )

    def act():
        series_cancel_rest(series=series, by=cast.coordinator)
        return series

    return act, AccessLog.Action.SERIES, cast.coordinator


RECIPES: dict[str, Recipe] = {
    "disclosures.summons_services.summons_record": _summons_record,
    "disclosures.summons_services.summons_checklist_update": _summons_checklist_update,
    "disclosures.police_services.police_visit_record": _police_visit_record,
    "disclosures.assessment_services.assessment_agreement_record": _assessment_agreement_record,
    "disclosures.assessment_services.assessment_agreement_end": _assessment_agreement_end,
    "volunteers.services.volunteer_appoint": _volunteer_appoint,
    "volunteers.services.volunteer_resign": _volunteer_resign,
    "volunteers.dbs_services.dbs_check_record": _dbs_check_record,
    "volunteers.dbs_services.dbs_checks_view": _dbs_checks_view,
    "retention.review.keep_longer_record": _keep_longer_record,
    "disclosures.consent_services.consent_grant_record": _consent_grant_record,
    "disclosures.consent_services.consent_grant_revoke": _consent_grant_revoke,
    "families.services.contact_reveal": _contact_reveal,
    "families.email_consent_services.email_consent_give": _email_consent_give,
    "families.email_consent_services.email_consent_withdraw": _email_consent_withdraw,
    "disclosures.letter_services.letter_release": _letter_release,
    "volunteers.feed_services.calendar_feed_renew": _calendar_feed_renew,
    "volunteers.feed_services.calendar_feed_revoke": _calendar_feed_revoke,
    "families.room_services.room_create": _room_create,
    "families.room_services.room_update": _room_update,
    "families.session_services.session_record_past": _session_record_past,
    "families.series_services.series_book": _series_book,
    "families.series_services.series_cancel_rest": _series_cancel_rest,
}

# Audited, with a test elsewhere that asserts the exact entry (their set-up is long).
PROVED_ELSEWHERE = {
    "disclosures.request_services.request_decide":
        "tests/disclosures/test_requests.py::test_a_refusal_is_recorded_with_one_audit_entry_and_a_letter",
    "disclosures.attendance_services.attendance_answer":
        "tests/disclosures/test_attendance_request.py::test_each_answer_is_recorded_as_a_disclosure_with_its_audit_entry",
    "disclosures.break_glass_services.break_glass_release":
        "tests/disclosures/test_break_glass.py::test_a_release_is_recorded_with_its_break_glass_audit_entry",
    "disclosures.break_glass_services.break_glass_acknowledge":
        "tests/disclosures/test_break_glass.py::test_it_stays_highlighted_until_the_chair_acknowledges_it",
    "disclosures.sar_services.sar_release":
        "tests/disclosures/test_sar_release.py::test_every_download_is_audited_but_released_once",
    "disclosures.sar_services.sar_release_item":
        "tests/disclosures/test_sar_review.py::test_each_decision_is_recorded_and_audited",
    "disclosures.sar_services.sar_withhold":
        "tests/disclosures/test_sar_review.py::test_each_decision_is_recorded_and_audited",
    "cccc.services.user_invite":
        "tests/cccc/test_account_oversight.py::test_invite_approval_and_refusal_are_audit_entries",
    "cccc.services.account_approve":
        "tests/cccc/test_account_oversight.py::test_invite_approval_and_refusal_are_audit_entries",
    "cccc.services.account_refuse":
        "tests/cccc/test_account_oversight.py::test_invite_approval_and_refusal_are_audit_entries",
    "cccc.services.user_deactivate":
        "tests/cccc/test_account_oversight.py::test_deactivation_activation_role_change_and_two_factor_reset_are_audit_entries",
    "cccc.services.user_reactivate":
        "tests/cccc/test_account_oversight.py::test_deactivation_activation_role_change_and_two_factor_reset_are_audit_entries",
    "cccc.services.user_role_change":
        "tests/cccc/test_account_oversight.py::test_deactivation_activation_role_change_and_two_factor_reset_are_audit_entries",
    "cccc.services.two_factor_reset":
        "tests/cccc/test_account_oversight.py::test_deactivation_activation_role_change_and_two_factor_reset_are_audit_entries",
    "cccc.centre_services.centre_settings_change":
        "tests/cccc/test_centre_settings.py::test_the_coordinator_or_chair_changes_them_and_each_change_is_audited",
    "volunteers.dbs_assessment_services.dbs_risk_assessment_record":
        "tests/volunteers/test_dbs_levels.py::test_a_disclosed_check_clears_only_once_the_chair_approves_the_assessment",
    "volunteers.dbs_assessment_services.dbs_risk_assessment_decide":
        "tests/volunteers/test_dbs_levels.py::test_a_disclosed_check_clears_only_once_the_chair_approves_the_assessment",
    "overview.day_sheet_services.day_sheet_view":
        "tests/overview/test_day_sheet.py::test_each_view_and_each_download_is_an_audit_entry",
    "families.import_services.families_import":
        "tests/families/test_family_import.py::test_each_family_and_the_import_have_their_audit_entry",
    "volunteers.import_services.volunteers_import":
        "tests/volunteers/test_volunteer_import.py::test_each_volunteer_their_check_and_the_import_have_their_audit_entry",
}  # fmt: skip

READS = "reads or computes only; writes nothing"
EVERYDAY = "a family's everyday record (SPEC §3), changed in the course of its contact: the row names who and when, and last activity moves"  # noqa: E501
SAR = "the subject access register itself records who did what and when, and every withheld item's reason; its release writes the entry (sar_release)"  # noqa: E501
VOLUNTEER_RECORD = "the volunteer's own details and training, before or beside the gate: the row names who recorded it; the gate's decisions (appointment, DBS result) are audited"  # noqa: E501
AVAILABILITY = "the volunteer's own note of when they are usually free, recorded by them: it grants and releases nothing (the rota page only marks it); its history rows keep every change"  # noqa: E501
MAIL_LOG = "sends an email already queued, or marks it failed, from a task with no user: the email log (FamilyMail, RotaMail) is the record of what was sent, when, and how often it was tried"  # noqa: E501
QUEUED = "writes the email log's row of an email, as part of a service whose own record or entry says what happened (a booking cancelled, a rota changed, a letter released)"  # noqa: E501
NIGHTLY = "run by the scheduler, not by a user: the run writes its own record (retention run log, destruction register, reminder rows)"  # noqa: E501

EXEMPT = {
    "cccc.centre_services.centre_create": "the operator's set-up of an installation; the centre's history table records it",  # noqa: E501
    "cccc.services.invitation_link": READS,
    "cccc.services.approvers_of": READS,
    "cccc.services.password_reset_email_send": "emails an account its own reset link and writes no record; the password it leads to is the person's own",  # noqa: E501
    "volunteers.dbs_assessment_services.dbs_level_clears": READS,
    "volunteers.dbs_assessment_services.clearance_extend": "part of dbs_check_record and dbs_risk_assessment_decide, whose entries record the clearance it extends; never called on its own by a view",  # noqa: E501
    "cccc.services.sessions_end_for": "part of deactivation and two-factor reset, never called on its own by a view",  # noqa: E501
    "disclosures.attendance_services.attendance_rows": READS,
    "disclosures.attendance_services.check_range": READS,
    "disclosures.request_services.refusal_letter": READS,
    "disclosures.request_services.refusal_reason": READS,
    "disclosures.request_services.request_audit": "the audit helper of the decisions itself",
    "disclosures.request_services.request_decision_apply": "sets fields on an unsaved request for request_decide, which audits",  # noqa: E501
    "disclosures.request_services.request_receive": "records what was asked (who received it, when) and releases nothing; its decision is audited (request_decide)",  # noqa: E501
    "disclosures.request_services.variant_of": READS,
    "disclosures.sar_services.sar_close": SAR,
    "disclosures.sar_services.sar_extend": SAR,
    "disclosures.sar_services.sar_identity_check": SAR,
    "disclosures.sar_services.sar_record": SAR,
    "disclosures.sar_services.sar_restore": "writes a sar_review entry (decision=undone) through the same helper as sar_withhold and sar_release_item, proved there",  # noqa: E501
    "disclosures.summons_services.policy_paragraphs": READS,
    "disclosures.summons_services.summons_letter": READS,
    "families.name_index_services.name_index_rebuild": "derived search hashes, rebuilt by the operator's command from names already stored; changes no record",  # noqa: E501
    "families.name_index_services.name_index_refresh": "part of adult_save, child_save and referral_submit (the search hashes follow the names they write); never called on its own by a view",  # noqa: E501
    "families.services.acknowledgement_record": EVERYDAY,
    "families.services.adult_save": EVERYDAY,
    "families.services.child_save": EVERYDAY,
    "families.services.concern_close": EVERYDAY,
    "families.services.concern_raise": EVERYDAY,
    "families.services.family_create": EVERYDAY,
    "families.services.family_update": EVERYDAY,
    "families.services.keep_apart_flag": EVERYDAY,
    "families.services.keep_apart_remove": EVERYDAY,
    "families.services.referral_add": EVERYDAY,
    "families.services.referral_decide": EVERYDAY,
    "families.services.referral_review": EVERYDAY,
    "families.services.referral_submit": EVERYDAY,
    "families.session_services.attendance_record": EVERYDAY,
    "families.session_services.child_attendance_record": EVERYDAY,
    "families.session_services.note_add": EVERYDAY,
    "families.session_services.session_book": EVERYDAY,
    "families.session_services.session_cancel": EVERYDAY,
    "families.session_services.date_problems": READS,
    "families.session_services.session_plans": READS,
    "families.session_services.lock_centre_bookings": "takes the centre's row lock for the booking in progress; writes nothing",  # noqa: E501
    "families.session_services.save_session": "the write behind session_book, session_record_past and series_book, listed here each; no view calls it",  # noqa: E501
    "families.series_services.series_preview": READS,
    "retention.accident_services.accident_entry_add": "the accident book is its own tamper-evident record: history rows, recorded_by, no edits after 24 hours",  # noqa: E501
    "retention.accident_services.accident_entry_update": "the accident book is its own tamper-evident record: history rows, recorded_by, no edits after 24 hours",  # noqa: E501
    "retention.accident_services.centre_key_ensure": "creates the centre's data key on first use; no record of a person",  # noqa: E501
    "retention.accident_services.may_edit": READS,
    "retention.services.retention_run": NIGHTLY,
    "retention.review.centres_to_review": READS,
    "retention.review.chunks": READS,
    "retention.review.keep_longer_dates": READS,
    "retention.review.retention_review": READS,
    "retention.review.retention_reviews": READS,
    "retention.review.volunteer_reference": READS,
    "volunteers.availability_services.availability_add": AVAILABILITY,
    "volunteers.availability_services.availability_remove": AVAILABILITY,
    "volunteers.dbs_services.clearances_lapse": NIGHTLY,
    "volunteers.dbs_services.dbs_check_requested": "marks an applicant as waiting for a check; no result, nothing disclosed",  # noqa: E501
    "volunteers.dbs_services.dbs_reminders_due": READS,
    "volunteers.dbs_services.dbs_reminders_send": NIGHTLY,
    "volunteers.dbs_services.reminder_threshold": READS,
    "volunteers.portal_services.portal_attendance_record": EVERYDAY,
    "volunteers.portal_services.portal_child_attendance_record": EVERYDAY,
    "volunteers.portal_services.portal_concern_raise": EVERYDAY,
    "volunteers.portal_services.portal_note_add": EVERYDAY,
    "volunteers.rota_services.cover_annotations": READS,
    "volunteers.rota_services.cover_for_sessions": READS,
    "volunteers.rota_services.rota_assign": "the rota entry names who assigned it; the database refuses an uncleared volunteer",  # noqa: E501
    "volunteers.rota_services.rota_assign_many": "calls rota_assign for each assignment, in one transaction",  # noqa: E501
    "volunteers.rota_services.rota_remove": EVERYDAY,
    "volunteers.rota_services.take_off_future_rotas": "part of resignation and of a withdrawn clearance, which are audited",  # noqa: E501
    "volunteers.rota_services.tell_coordinators_of_lost_cover": "sends an email; writes nothing",
    "volunteers.services.agreement_sign": VOLUNTEER_RECORD,
    "volunteers.services.training_record_add": VOLUNTEER_RECORD,
    "volunteers.services.volunteer_create": VOLUNTEER_RECORD,
    "volunteers.services.volunteer_invite_user": "calls cccc.services.user_invite, which writes the invitation's entry",  # noqa: E501
    "volunteers.services.volunteer_link_user": VOLUNTEER_RECORD,
    "volunteers.services.volunteer_update": VOLUNTEER_RECORD,
    "families.session_move_services.session_move": EVERYDAY,
    "families.mail_services.current_sequence": READS,
    "families.mail_services.deliver": "hands a message to the mail server; writes nothing",
    "families.mail_services.family_mail_give_up": MAIL_LOG,
    "families.mail_services.family_mail_send": MAIL_LOG,
    "families.mail_services.has_email_consent": READS,
    "families.mail_services.letter_mail_queue": QUEUED,
    "families.mail_services.mail_problems_for": READS,
    "families.mail_services.message_for": READS,
    "families.mail_services.overtaken": READS,
    "families.mail_services.no_longer_ahead": READS,
    "families.mail_services.reminders_queue": NIGHTLY,
    "families.mail_services.retry_delay": READS,
    "families.mail_services.session_mail_queue": QUEUED,
    "volunteers.feed_services.feed_calendar": READS,
    "volunteers.feed_services.feed_url": READS,
    "volunteers.feed_services.feed_volunteer": READS,
    "volunteers.feed_services.token_hash": READS,
    "volunteers.rota_mail_services.address_of": READS,
    "volunteers.rota_mail_services.message_for": READS,
    "volunteers.rota_mail_services.overtaken": READS,
    "volunteers.rota_mail_services.rota_mail_give_up": MAIL_LOG,
    "volunteers.rota_mail_services.rota_mail_queue": QUEUED,
    "volunteers.rota_mail_services.rota_change_mail_queue": QUEUED,
    "volunteers.session_change_services.session_cancel_telling_rota": "calls families.session_services.session_cancel (listed here) and queues the rota's emails",  # noqa: E501
    "volunteers.session_change_services.session_move_telling_rota": "calls families.session_move_services.session_move (listed here) and queues the rota's emails",  # noqa: E501
    "volunteers.session_change_services.series_cancel_rest_telling_rota": "calls families.series_services.series_cancel_rest (audited: its recipe) and queues the rota's emails",  # noqa: E501
    "volunteers.rota_mail_services.rota_mail_send": MAIL_LOG,
    "volunteers.rota_mail_services.rota_reminders_queue": NIGHTLY,
    "volunteers.rota_mail_services.time_in_building": READS,
    "volunteers.rota_mail_services.when_and_where": READS,
}


def test_every_service_is_audited_or_exempt_with_a_reason():
    services = public_functions()
    listed = [*RECIPES, *PROVED_ELSEWHERE, *EXEMPT]
    unlisted = sorted(services - set(listed))
    assert not unlisted, (
        "services that write without a recipe proving their audit entry, and are not exempt "
        f"with a reason (tests/test_every_write_is_audited.py): {unlisted}"
    )
    assert not sorted(set(listed) - services), "listed here but no longer a service"
    assert len(listed) == len(set(listed)), "a service is listed twice"
    assert all(reason.strip() for reason in EXEMPT.values())


def test_each_service_proved_elsewhere_names_a_test_that_exists():
    for service, test in PROVED_ELSEWHERE.items():
        path, name = test.split("::")
        tree = ast.parse((ROOT / path).read_text())
        names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
        assert name in names, f"{service}: {test} does not exist"


@pytest.mark.django_db
@pytest.mark.parametrize("service", sorted(RECIPES))
def test_the_service_writes_one_audit_entry_for_its_record(cast, service):
    act, action, user = RECIPES[service](cast)
    before = AccessLog.objects.count()
    record = act()
    assert AccessLog.objects.count() == before + 1
    entry = AccessLog.objects.order_by("-seq").first()
    assert (entry.action, entry.user, entry.centre) == (action, user, cast.centre)
    assert (entry.record_type, entry.record_id) == (record._meta.label, record.pk)
    # IDs and kinds only: never a value typed into the record.
    assert CANARY not in entry.detail
    assert re.fullmatch(r"[\w=#.,: -]*", entry.detail), entry.detail
