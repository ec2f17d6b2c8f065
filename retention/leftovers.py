"""What the retention run destroys besides families and volunteers (retention/rules.py),
and what a family's destruction must leave standing:

- a keep-apart flag between one of its adults and an adult of a family still in use stays
  on that family, as "kept apart from an adult of a destroyed record" (families.KeepApart);

- police visits and witness summonses linked to no family, sealed under their own key: their
  rows, history rows and key, the family period after the visit, or after the summons was
  closed (one linked to a family goes with the family);
- the family searches held in coordinators' sessions (families.views.SEARCH_SESSION_KEY: the
  term typed, sealed): when any family is destroyed, every stored search is taken out of
  every session at once (the term may be a destroyed family's name; the coordinator searches
  again), the rest of the session left as it was;
- expired sessions (as `manage.py clearsessions`), and sign-in attempts (django-axes: the
  email as typed and the address) older than the cool-off, every night.
"""

import datetime
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, cast

from axes.models import AccessAttempt
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cccc.models import Centre, DataKey
from cccc.session_store import live_sessions, session_replace
from retention import plan as ownership_plan
from retention import rules

if TYPE_CHECKING:
    from disclosures.models import PoliceVisit, WitnessSummons


@dataclass(frozen=True)
class Standalone:
    """A legal record type that may stand alone: which rows, and what starts their clock."""

    rule: rules.Rule
    prefix: str  # register reference: POL-12, WS-3
    clock_field: str

    @property
    def model(self) -> "type[PoliceVisit] | type[WitnessSummons]":
        from disclosures.models import PoliceVisit, WitnessSummons  # built on families

        by_type: dict[str, type[PoliceVisit] | type[WitnessSummons]] = {
            "police_visit": PoliceVisit,
            "witness_summons": WitnessSummons,
        }
        return by_type[self.rule.record_type]

    def reference(self, pk: int) -> str:
        return f"{self.prefix}-{pk}"

    def _due_by(
        self, centre: Centre, last_clock_day: datetime.date
    ) -> "models.QuerySet[PoliceVisit] | models.QuerySet[WitnessSummons]":
        return self.model.objects.filter(
            centre=centre,
            family__isnull=True,
            **{f"{self.clock_field}__lt": rules.start_of_day_after(last_clock_day)},
        )

    def candidates(
        self, centre: Centre, last_clock_day: datetime.date
    ) -> list[tuple[int, datetime.date]]:
        """(id, day its clock started) of each record whose clock started by that day."""
        rows = self._due_by(centre, last_clock_day).order_by("pk")
        return [(pk, rules.local_day(at)) for pk, at in rows.values_list("pk", self.clock_field)]

    def candidates_where(self, where: Q) -> list[tuple[int, int, datetime.date]]:
        """(id, centre id, day its clock started) of each record linked to no family that
        matches `where` (centres and their clock bounds: retention.review)."""
        rows = self.model.objects.filter(where, family__isnull=True).order_by("pk")
        return [
            (pk, centre_id, rules.local_day(at))
            for pk, centre_id, at in rows.values_list("pk", "centre_id", self.clock_field)
        ]

    def still_due(
        self, ids: list[int], centres: dict[int, Centre], today: datetime.date
    ) -> set[tuple[int, int]]:
        """Inside the batch's transaction, rows locked: (centre id, id) of those still due
        under their centre's period (not linked to a family, nor reopened, since the
        review), for a batch of any of `centres` (by id)."""
        cutoffs = {}
        for pk, centre in centres.items():
            # Both rules have a period (a Centre setting never null), so a day is due.
            day = cast(datetime.date, self.rule.last_clock_day_due(centre, today))
            cutoffs[pk] = rules.start_of_day_after(day)
        rows = self.model.objects.select_for_update().filter(
            pk__in=ids, centre_id__in=list(centres), family__isnull=True
        )
        return {
            (centre_id, pk)
            for pk, centre_id, clock in rows.values_list("pk", "centre_id", self.clock_field)
            if clock is not None and clock < cutoffs[centre_id]
        }

    def destroy(self, ids: list[int]) -> None:
        """Rows and history rows, then their own data keys (in the caller's transaction)."""
        key_ids = list(self.model.objects.filter(pk__in=ids).values_list("data_key_id", flat=True))
        ownership_plan.destroy(ownership_plan.ownership(self.model), ids)
        ownership_plan.delete_rows(DataKey, "id", key_ids)


STANDALONE = {
    "police_visit": Standalone(rules.POLICE_VISIT, "POL", "occurred_at"),
    "witness_summons": Standalone(rules.WITNESS_SUMMONS, "WS", "closed_at"),
}


def keep_apart_keep_live(family_ids: list[int], today: datetime.date) -> dict[int, int]:
    """Before these families are destroyed: turn each flag between one of their adults and a
    live adult into the live adult's flag against a destroyed record. Returns, per doomed
    family, how many flags were kept. Flags between their own adults go with them."""
    from families.models import Adult, KeepApart

    doomed = Adult.objects.filter(family_id__in=family_ids).values("pk")
    a_gone, b_gone = Q(adult_a_id__in=doomed), Q(adult_b_id__in=doomed)
    # Only the flags with one adult doomed and the other not are read: those wholly theirs
    # (most of them, between their own adults) go with them, unread.
    crossing = KeepApart.objects.filter(adult_b__isnull=False).filter(
        (a_gone & ~b_gone) | (~a_gone & b_gone)
    )
    families = set(family_ids)
    kept: dict[int, int] = {}
    for flag in crossing.select_related("adult_a", "adult_b"):
        # adult_b is set here, so both adults are.
        a, b = cast(tuple[Adult, Adult], (flag.adult_a, flag.adult_b))
        gone, live = (a, b) if a.family_id in families else (b, a)
        flag.adult_a, flag.adult_b, flag.other_destroyed_on = live, None, today
        flag.save()  # a history row of its own; the old ones name the destroyed adult and go
        kept[gone.family_id] = kept.get(gone.family_id, 0) + 1
    return kept


# --- sessions and sign-in attempts ----------------------------------------------------------


def sessions_forget_searches() -> int:
    """Take every stored family search out of every live session; returns how many changed.

    A term is sealed, and matched against names only by opening them, so which families a
    term would find cannot be told from the session: every one goes, whenever a family does.
    """
    from families.views import SEARCH_SESSION_KEY

    changed = 0
    for session, data in live_sessions():
        if SEARCH_SESSION_KEY in data:
            del data[SEARCH_SESSION_KEY]
            session_replace(session.session_key, data, session.expire_date)
            changed += 1
    return changed


def sessions_clear_expired() -> None:
    """As `manage.py clearsessions`: the session engine deletes expired sessions."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def sign_in_attempts_clear(now: datetime.datetime | None = None) -> int:
    """Failed sign-ins older than the cool-off no longer lock anyone out: delete them."""
    cutoff = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    deleted: int
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted
