"""Volunteers are told (issue 18, point 3): an email when they are put on a session's rota or
taken off it, a reminder the day before, and, while they are on its rota, when the session is
cancelled or given other times (as its adults are: families/mail_services.py). Each says the
date, the time, the room and the centre, and never a family, a reference or a name.

Like the families' emails (families/mail_services.py, whose delivery and failures these share),
each is a row of the log (RotaMail) before it is queued, the task gets the row's id once the
transaction commits, a row that went is not sent again, and a mail server that is down is tried
again later. Each is checked again when its turn comes (`overtaken`): one no longer true by
then (the session cancelled or over, the volunteer taken off, a later email about the rota
saying otherwise) is marked withdrawn, and neither sent nor tried again. The rota services
queue them (volunteers/rota_services.py), so the session's rota page and the week's rota page
tell volunteers alike.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from cccc.saving import validated_save
from families.arrangements import clock, long_day
from families.mail_services import FAILURES, MailServerUnavailable, deliver, no_longer_ahead
from families.models import ContactSession, SessionAttendance
from volunteers.models import RotaEntry, RotaMail, Volunteer

Kind, Status = RotaMail.Kind, RotaMail.Status


def address_of(volunteer: Volunteer) -> str:
    """The volunteer's own email: their record's, else their account's."""
    if volunteer.email:
        return str(volunteer.email)
    return volunteer.user.email if volunteer.user is not None else ""


def time_in_building(session: ContactSession) -> tuple[datetime.time, datetime.time]:
    """When the volunteer is needed: from the first arrival to the last departure (the
    session's contact times when no adult is planned). Times only, nobody's name or role."""
    found = SessionAttendance.objects.filter(session=session).aggregate(
        first=Min("arrives_at"), last=Max("departs_at")
    )
    first = min(t for t in (found["first"], session.starts_at) if t is not None)
    last = max(t for t in (found["last"], session.ends_at) if t is not None)
    return first, last


def when_and_where(session: ContactSession) -> list[str]:
    first, last = time_in_building(session)
    lines = [long_day(session.date), f"From {clock(first)} to {clock(last)}"]
    if session.room:
        lines.append(f"Room: {session.room}")
    lines.append(f"At {session.centre.name}")
    return lines


def _queue(mail: RotaMail) -> RotaMail:
    from volunteers import tasks  # the tasks call this module: imported when used

    validated_save(mail)
    mail_id = mail.pk

    def send_once_committed() -> None:
        tasks.rota_mail_send.delay(mail_id)

    transaction.on_commit(send_once_committed, robust=True)
    return mail


def rota_mail_queue(*, session: ContactSession, volunteer: Volunteer, kind: str) -> RotaMail | None:
    """Tell the volunteer they were put on (`kind` ADDED) or taken off (REMOVED) the rota of
    a session still to come. Nothing for a session that is over or cancelled."""
    if session.date < timezone.localdate() or session.status != ContactSession.Status.BOOKED:
        return None
    last = RotaMail.objects.filter(
        session=session, volunteer=volunteer, kind__in=[Kind.ADDED, Kind.REMOVED]
    ).aggregate(last=Max("sequence"))["last"]
    return _queue(
        RotaMail(session=session, volunteer=volunteer, kind=kind, sequence=(last or 0) + 1)
    )


def rota_change_mail_queue(*, session: ContactSession, kind: str) -> list[RotaMail]:
    """Tell each volunteer on the session's rota now that it was cancelled (`kind` CANCELLED)
    or given other times (MOVED); nobody for a session that is over. Called in the
    transaction of the change (volunteers/session_change_services.py)."""
    if kind not in (Kind.CANCELLED, Kind.MOVED):
        raise ValueError("A change of the session is CANCELLED or MOVED.")
    if session.date < timezone.localdate():
        return []
    # Only appointed volunteers: one who resigned stays on the rota of a session that had
    # started (volunteers.rota_services.take_off_future_rotas), and has left.
    volunteer_ids = RotaEntry.objects.filter(
        session=session, volunteer__status=Volunteer.Status.APPOINTED
    ).values_list("volunteer_id", flat=True)
    last = dict(
        RotaMail.objects.filter(session=session, kind=kind)
        .values_list("volunteer_id")
        .annotate(last=Max("sequence"))
        .values_list("volunteer_id", "last")
    )
    return [
        _queue(
            RotaMail(
                session=session,
                volunteer_id=volunteer_id,
                kind=kind,
                sequence=last.get(volunteer_id, 0) + 1,
            )
        )
        for volunteer_id in sorted(volunteer_ids)
    ]


@transaction.atomic
def rota_reminders_queue(*, day: datetime.date) -> int:
    """A reminder to every volunteer on the rota of a session booked on `day`, once each;
    returns how many were queued."""
    entries = RotaEntry.objects.filter(
        session_date=day, session__status=ContactSession.Status.BOOKED
    ).order_by("pk")
    queued = 0
    for entry in entries:
        if not RotaMail.objects.filter(
            session_id=entry.session_id, volunteer_id=entry.volunteer_id, kind=Kind.REMINDER
        ).exists():
            _queue(
                RotaMail(
                    session_id=entry.session_id, volunteer_id=entry.volunteer_id, kind=Kind.REMINDER
                )
            )
            queued += 1
    return queued


# Each kind of rota email: its subject ({day}: the session's day), first line and last line
# ({portal}: the volunteer portal's address). Nothing of the family, in any of them.
_TEXTS: dict[str, tuple[str, str, str]] = {
    Kind.ADDED: (
        "You are on the rota: {day}",
        "You have been put on the rota of a contact session:",
        "Your sessions, and what each one needs, are in the portal: {portal}",
    ),
    Kind.REMOVED: (
        "Taken off the rota: {day}",
        "You have been taken off the rota of this contact session: you are not needed for it.",
        "Your sessions are in the portal: {portal}",
    ),
    Kind.CANCELLED: (
        "Session cancelled: {day}",
        "This contact session, whose rota you are on, is cancelled: you are not needed for it.",
        "Your sessions are in the portal: {portal}",
    ),
    Kind.MOVED: (
        "New times: {day}",
        "The times of this contact session have changed; you are still on its rota. The new times:",
        "What the session needs is in the portal: {portal}",
    ),
    Kind.REMINDER: (
        "Reminder: you are on the rota tomorrow, {day}",
        "A reminder that you are on the rota of this contact session tomorrow:",
        "What the session needs is in the portal: {portal}",
    ),
}


def message_for(mail: RotaMail) -> EmailMessage:
    session = mail.session
    lines = when_and_where(session)
    portal = settings.SITE_URL + reverse("volunteer_portal")
    subject, opening, closing = _TEXTS[mail.kind]
    subject = subject.format(day=long_day(session.date))
    closing = closing.format(portal=portal)
    body = "\n".join([opening, "", *lines, "", closing])
    return EmailMessage(
        subject=f"{settings.EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        to=[address_of(mail.volunteer)],
    )


# News of being put on (ADDED) or taken off (REMOVED) a session's rota: each row of it for one
# volunteer and session has the next sequence, so the highest is the latest.
NEWS = (Kind.ADDED, Kind.REMOVED)


def _locked(mail_id: int) -> tuple[RotaMail | None, list[tuple[int, str, str]]]:
    """The row, locked, and for news of the rota every row of that news to the same volunteer
    about the same session, as (sequence, kind, status), all locked first in the order of their
    ids: two of them sent at once then each see what the other did, and never wait on each
    other in a circle."""
    news: list[tuple[int, str, str]] = []
    pair = RotaMail.objects.filter(pk=mail_id, kind__in=NEWS).values("session_id", "volunteer_id")
    if found := pair.first():
        rows = RotaMail.objects.select_for_update().filter(kind__in=NEWS, **found).order_by("pk")
        news = sorted(rows.values_list("sequence", "kind", "status"))
    mail = (
        RotaMail.objects.select_for_update(of=("self",))
        .select_related("volunteer__data_key", "volunteer__user", "session__centre")
        .filter(pk=mail_id)
        .first()
    )
    return mail, news


def _last_told(mail: RotaMail, news: list[tuple[int, str, str]]) -> str:
    """What the volunteer was last told of this session's rota before `mail`: the kind of the
    latest earlier news sent. None sent: put on the rota without an email (an entry older than
    these emails, or the demo's) when the first news is of being taken off, else not on it."""
    sent = [
        kind
        for sequence, kind, status in news
        if sequence < mail.sequence and status == Status.SENT
    ]
    if sent:
        return sent[-1]
    return Kind.ADDED if news and news[0][1] == Kind.REMOVED else Kind.REMOVED


def overtaken(mail: RotaMail, news: list[tuple[int, str, str]]) -> bool:
    """Whether the email is no longer true, or no longer news, now that its turn has come.
    Put on or taken off the rota: only the latest such news goes, and only if it changes what
    the volunteer was last told (on, off and on again before any went sends "on" once; on and
    off sends nothing). Put on, new times, the reminder: only for a session still booked, not
    over (a reminder says "tomorrow": not on the day itself), with the volunteer still on its
    rota. Cancelled: only while the session is. Taken off: whatever the session became."""
    session = mail.session
    if mail.kind == Kind.CANCELLED:
        return session.status != ContactSession.Status.CANCELLED
    if mail.kind in NEWS:
        if not news or news[-1][0] != mail.sequence or _last_told(mail, news) == mail.kind:
            return True
        if mail.kind == Kind.REMOVED:
            return False
    if no_longer_ahead(session, reminder=mail.kind == Kind.REMINDER):
        return True
    return not RotaEntry.objects.filter(session=session, volunteer_id=mail.volunteer_id).exists()


def rota_mail_send(*, mail_id: int) -> str:
    """Send one row's email, once, as families.mail_services.family_mail_send; but first check
    it again (`overtaken`): one no longer true is marked withdrawn, and neither sent nor tried
    again."""
    unavailable = False
    with transaction.atomic():
        mail, news = _locked(mail_id)
        if mail is None:
            return "gone"
        if mail.status != Status.QUEUED:
            return mail.status
        if overtaken(mail, news):
            mail.status = Status.WITHDRAWN
            mail.save(update_fields=["status"])
            return mail.status
        if not address_of(mail.volunteer):
            mail.status, mail.failure = Status.FAILED, FAILURES["no_address"]
            mail.save(update_fields=["status", "failure"])
            return mail.status
        mail.attempts += 1
        why = deliver(message_for(mail))
        if why is None:
            mail.status, mail.sent_at, mail.failure = Status.SENT, timezone.now(), ""
        elif why == "unreachable":
            mail.failure, unavailable = FAILURES[why], True
        else:
            mail.status, mail.failure = Status.FAILED, FAILURES[why]
        mail.save(update_fields=["status", "sent_at", "failure", "attempts"])
    if unavailable:
        raise MailServerUnavailable(f"rota mail #{mail_id}")
    return mail.status


def rota_mail_give_up(*, mail_id: int) -> str:
    updated = RotaMail.objects.filter(pk=mail_id, status=Status.QUEUED).update(
        status=Status.FAILED, failure=FAILURES["gave_up"]
    )
    return Status.FAILED if updated else "unchanged"
