"""Email to a family's adults (issue 18, point 2): the arrangement letter, the reminder the day
before a session, and the notice that a session changed or was cancelled. Each email goes to
one adult who has a live consent to email (families/email_consent_services.py), holds only
that adult's own arrangements (families/arrangements.py) and carries them as a calendar
attachment (families/ics.py).

Every email is a row of the log (FamilyMail) before it is queued; the task (families.tasks)
gets the row's id only and sends it once the transaction has committed. Sending twice is
harmless: a row that went is not sent again, and a reminder is one row per session, adult and
version of the event (a database constraint). A mail server that is down or refuses leaves
everything else saved: the row says so, the family page shows it, and the task tries again
later, each time waiting twice as long. New times or a reminder are checked again when
their turn comes (`overtaken`): the session cancelled or its day over by then, the row is
marked withdrawn, and neither sent nor tried again. What is recorded of a failure is one of
FAILURES, never the server's own words (they can quote the address).

These writes are the centre's own record of what it sent; the disclosure behind a letter is
recorded by disclosures/letter_services.py, which asks the policy first.
"""

import datetime
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from cccc.models import User
from cccc.saving import validated_save
from families import ics
from families.arrangements import (
    ON_ARRIVAL,
    Arrangement,
    OwnTimes,
    arrangement_for,
    long_day,
    own_times,
)
from families.models import (
    Adult,
    ContactSession,
    EmailConsent,
    Family,
    FamilyMail,
    SessionAttendance,
)

Kind, Status = FamilyMail.Kind, FamilyMail.Status

# The task tries this many times more after the first, waiting retry_delay() between tries.
MAX_RETRIES = 6

FAILURES = {
    "unreachable": "The mail server could not be reached.",
    "refused": "The mail server refused the address.",
    "rejected": "The mail server would not take the email.",
    "no_address": "No email address is recorded for this adult.",
    "gave_up": "The mail server could not be reached; the centre stopped trying.",
}


class MailServerUnavailable(Exception):
    """The mail server could not be reached or failed for now: the task tries again later.
    It carries the row's id only, never the server's message."""


def retry_delay(retries: int) -> int:
    """Seconds before the next try: 1, 2, 4, ... minutes, at most an hour."""
    return int(min(60 * 2**retries, 3600))


def has_email_consent(adult: Adult | int) -> bool:
    return EmailConsent.objects.live().filter(adult=adult).exists()


def current_sequence(session_id: int, adult_id: int) -> int:
    """The version of the adult's event for this session: 0 as booked, one more for each
    change or cancellation queued since."""
    found = FamilyMail.objects.filter(
        session_id=session_id, adult_id=adult_id, kind__in=[Kind.UPDATE, Kind.CANCEL]
    ).aggregate(last=Max("sequence"))["last"]
    return found or 0


def _queue(mail: FamilyMail) -> FamilyMail:
    from families import tasks  # the tasks call this module: imported when used

    validated_save(mail)
    # robust: a broker that cannot be reached leaves the caller's write saved and answered;
    # the row stays "waiting to be sent" on the family page.
    mail_id = mail.pk

    def send_once_committed() -> None:
        tasks.family_mail_send.delay(mail_id)

    transaction.on_commit(send_once_committed, robust=True)
    return mail


# --- queueing -------------------------------------------------------------------------------


def letter_mail_queue(*, adult: Adult, by: User) -> FamilyMail:
    """Queue the arrangement letter to the adult, with a calendar of their sessions. Called by
    disclosures/letter_services.py once the policy has permitted it and it is recorded."""
    if not has_email_consent(adult):
        raise ValidationError("This adult has not consented to email: the letter was not sent.")
    if not adult.email:
        raise ValidationError(FAILURES["no_address"])
    return _queue(FamilyMail(adult=adult, kind=Kind.LETTER, queued_by=by))


def session_mail_queue(
    *, session: ContactSession, kind: str, by: User | None = None
) -> list[FamilyMail]:
    """Tell each adult of the session who consented to email that it changed (`kind` UPDATE)
    or was cancelled (CANCEL): the same event, one version higher. Sessions that are over
    are left alone."""
    if session.date < timezone.localdate():
        return []
    queued = []
    for attendance in _consenting(session.adults.all()):
        sequence = current_sequence(session.pk, attendance.adult_id) + 1
        queued.append(
            _queue(
                FamilyMail(
                    adult_id=attendance.adult_id,
                    session=session,
                    kind=kind,
                    sequence=sequence,
                    queued_by=by,
                )
            )
        )
    return queued


def _consenting(attendances: QuerySet[SessionAttendance]) -> QuerySet[SessionAttendance]:
    return attendances.filter(adult__in=EmailConsent.objects.live().values("adult_id")).order_by(
        "pk"
    )


@transaction.atomic
def reminders_queue(*, day: datetime.date) -> int:
    """Queue a reminder for every adult who consented to email, of every session booked on
    `day`; returns how many were queued. Run again, it queues none twice."""
    attendances = _consenting(
        SessionAttendance.objects.filter(
            session__date=day, session__status=ContactSession.Status.BOOKED
        )
    )
    queued = 0
    for attendance in attendances:
        sequence = current_sequence(attendance.session_id, attendance.adult_id)
        already = FamilyMail.objects.filter(
            session_id=attendance.session_id,
            adult_id=attendance.adult_id,
            kind=Kind.REMINDER,
            sequence=sequence,
        ).exists()
        if not already:
            _queue(
                FamilyMail(
                    adult_id=attendance.adult_id,
                    session_id=attendance.session_id,
                    kind=Kind.REMINDER,
                    sequence=sequence,
                )
            )
            queued += 1
    return queued


# --- sending --------------------------------------------------------------------------------


def _event(adult: Adult, times: OwnTimes, sequence: int) -> ics.Event:
    centre = adult.family.centre
    address = [line.strip() for line in centre.address.splitlines() if line.strip()]
    return ics.Event(
        uid=ics.event_uid("adult", times.session_id, adult.pk),
        start=times.start(),
        end=times.end(),
        summary=f"Contact session at {centre.name}",
        location=", ".join([centre.name, *address]),
        sequence=sequence,
    )


def _session_body(letter: Arrangement, times: OwnTimes, opening: str) -> str:
    out = [letter.greeting, "", opening, "", times.heading]
    out += [f"  {line}" for line in times.lines()] + [""]
    out += ["When you arrive"] + [f"- {line}" for line in ON_ARRIVAL] + [""]
    out += ["If you cannot come"] + [f"- {line}" for line in letter.how_to_cancel] + [""]
    out += [letter.centre_name, *letter.centre_address]
    return "\n".join(out)


def message_for(mail: FamilyMail) -> EmailMessage:
    """The email the row stands for, drawn from the adult's own arrangements only."""
    adult = mail.adult
    letter = arrangement_for(adult)
    if mail.kind == Kind.LETTER:
        subject, body = letter.title, letter.text()
        events = [
            _event(adult, t, current_sequence(t.session_id, adult.pk)) for t in letter.sessions
        ]
        attachment = ics.calendar(events, method=ics.REQUEST) if events else None
        method = ics.REQUEST
    else:
        attendance = SessionAttendance.objects.select_related("session").get(
            session_id=mail.session_id, adult=adult
        )
        times = own_times(attendance)
        day = long_day(times.date)
        if mail.kind == Kind.CANCEL:
            subject = f"Cancelled: your contact session on {day}"
            body = _cancel_body(letter, times)
            method = ics.CANCEL
        elif mail.kind == Kind.UPDATE:
            subject = f"Changed: your contact session on {day}"
            body = _session_body(letter, times, "Your contact session has changed. Your new "
                                 "times are below: please keep to them.")  # fmt: skip
            method = ics.REQUEST
        else:
            subject = f"Reminder: your contact session on {day}"
            body = _session_body(letter, times, "This is a reminder of your contact session "
                                 "tomorrow.")  # fmt: skip
            method = ics.REQUEST
        attachment = ics.calendar([_event(adult, times, mail.sequence)], method=method)
    message = EmailMessage(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        to=[adult.email],
        reply_to=[letter.centre_email] if letter.centre_email else None,
    )
    if attachment is not None:
        message.attach("sessions.ics", attachment, f"text/calendar; method={method}")
    return message


def _cancel_body(letter: Arrangement, times: OwnTimes) -> str:
    out = [
        letter.greeting,
        "",
        f"Your contact session on {long_day(times.date)} is cancelled: do not come to the "
        "centre that day. The centre will be in touch about the next one.",
        "",
        letter.centre_name,
        *letter.centre_address,
    ]
    return "\n".join(out)


def deliver(message: EmailMessage) -> str | None:
    """Hand the message to the configured mail server: None once it took it, else the key of
    FAILURES that says why not ("unreachable" is worth another try; the others are not). The
    server's own words are dropped: they can quote the address."""
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused:
        return "refused"
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused):
        return "rejected"
    except (smtplib.SMTPException, OSError):
        return "unreachable"
    return None


def overtaken(mail: FamilyMail) -> bool:
    """Whether new times or a reminder are no longer true now that their turn has come: the
    session cancelled since (its cancellation says so) or its day over; a reminder, which
    says "tomorrow", not on the day itself either. A letter and a cancellation always go."""
    if mail.kind not in (Kind.UPDATE, Kind.REMINDER) or mail.session is None:
        return False
    return no_longer_ahead(mail.session, reminder=mail.kind == Kind.REMINDER)


def no_longer_ahead(session: ContactSession, *, reminder: bool) -> bool:
    """Whether an email about a session to come has nothing left to say of it: the session
    cancelled or its day over; for a reminder, which says "tomorrow", its day come. For the
    families' emails and the volunteers' (volunteers/rota_mail_services.py)."""
    today = timezone.localdate()
    if session.status != ContactSession.Status.BOOKED or session.date < today:
        return True
    return reminder and session.date <= today


def family_mail_send(*, mail_id: int) -> str:
    """Send the email of one row, once; returns the row's status afterwards ("gone" for a
    row that no longer exists). Raises MailServerUnavailable when the mail server could not
    take it for now, for the task to try again; the row says so meanwhile."""
    unavailable = False
    with transaction.atomic():
        mail = (
            FamilyMail.objects.select_for_update()
            .select_related("adult__family__centre", "adult__family__data_key")
            .filter(pk=mail_id)
            .first()
        )
        if mail is None:
            return "gone"
        if mail.status != Status.QUEUED:
            return mail.status
        if not has_email_consent(mail.adult_id):
            mail.status = Status.NOT_SENT
            mail.save(update_fields=["status"])
            return mail.status
        if overtaken(mail):
            mail.status = Status.WITHDRAWN
            mail.save(update_fields=["status"])
            return mail.status
        if not mail.adult.email:
            return _fail(mail, "no_address")
        mail.attempts += 1
        mail.last_try_at = timezone.now()
        why = deliver(message_for(mail))
        if why is None:
            mail.status, mail.sent_at, mail.failure = Status.SENT, timezone.now(), ""
            mail.save(update_fields=["status", "sent_at", "failure", "attempts", "last_try_at"])
            return mail.status
        if why != "unreachable":
            return _fail(mail, why)
        mail.failure = FAILURES[why]
        mail.save(update_fields=["attempts", "last_try_at", "failure"])
        unavailable = True
    # Raised outside the block, so the row's count of tries is saved before the task retries.
    if unavailable:
        raise MailServerUnavailable(f"family mail #{mail_id}")
    return Status.QUEUED


def _fail(mail: FamilyMail, why: str) -> str:
    mail.status, mail.failure = Status.FAILED, FAILURES[why]
    mail.save(update_fields=["status", "failure", "attempts", "last_try_at"])
    return mail.status


def family_mail_give_up(*, mail_id: int) -> str:
    """The task has tried for the last time: the row is marked failed, for the family page."""
    updated = FamilyMail.objects.filter(pk=mail_id, status=Status.QUEUED).update(
        status=Status.FAILED, failure=FAILURES["gave_up"]
    )
    return Status.FAILED if updated else "unchanged"


def mail_problems_for(family: Family, *, days: int = 30) -> QuerySet[FamilyMail]:
    """Emails of the last `days` days that failed, or are waiting after a failed try: the
    family page lists them."""
    since = timezone.now() - datetime.timedelta(days=days)
    return (
        FamilyMail.objects.filter(adult__family=family, queued_at__gte=since)
        .filter(status__in=[Status.FAILED, Status.QUEUED])
        .exclude(status=Status.QUEUED, attempts=0)
        .select_related("adult", "session")
        .order_by("-queued_at", "-pk")
    )
