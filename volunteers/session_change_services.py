"""A session cancelled (alone, or with the rest of its series) or given other times, with the
volunteers on its rota told by email, in the same transaction as the change
(volunteers/rota_mail_services.py, `rota_change_mail_queue`): the adults are told by the
families' services themselves, the volunteers here, since families/ cannot reach the rota
(README, Layout: the apps import one way only). The pages that cancel or move a session call
these (overview/session_change_views.py).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from cccc.models import User
from families import series_services, session_move_services, session_services
from families.models import ContactSession, Series
from volunteers.models import RotaMail
from volunteers.rota_mail_services import rota_change_mail_queue


@transaction.atomic
def session_cancel_telling_rota(*, session: ContactSession, by: User) -> ContactSession:
    cancelled = session_services.session_cancel(session=session, by=by)
    rota_change_mail_queue(session=cancelled, kind=RotaMail.Kind.CANCELLED)
    return cancelled


@transaction.atomic
def session_move_telling_rota(
    *, session: ContactSession, starts_at: datetime.time, ends_at: datetime.time, by: User
) -> ContactSession:
    moved = session_move_services.session_move(
        session=session, starts_at=starts_at, ends_at=ends_at, by=by
    )
    rota_change_mail_queue(session=moved, kind=RotaMail.Kind.MOVED)
    return moved


@transaction.atomic
def series_cancel_rest_telling_rota(*, series: Series, by: User) -> int:
    # The sessions it will cancel: booked, from today on, locked as series_cancel_rest locks
    # them, so that none is cancelled on its own in between.
    Series.objects.select_for_update().filter(pk=series.pk).first()
    rest = list(
        series.sessions.select_for_update()
        .filter(status=ContactSession.Status.BOOKED, date__gte=timezone.localdate())
        .values_list("pk", flat=True)
    )
    count = series_services.series_cancel_rest(series=series, by=by)
    for session in ContactSession.objects.filter(
        pk__in=rest, status=ContactSession.Status.CANCELLED
    ).order_by("date", "pk"):
        rota_change_mail_queue(session=session, kind=RotaMail.Kind.CANCELLED)
    return count
