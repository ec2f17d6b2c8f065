"""Legal holds (SPEC §8): a record under one is never destroyed, however long unused; it is
listed on the retention screen for review, with why.

A provider answers, for a record type and some record ids, the holds on each of them (IDs
and categories only, never text). Holds that exist today:

- an open concern about the family (families.Concern, status open);
- an undecided disclosure request about the family (disclosures.DisclosureRequest.open());
- a witness summons not yet closed, about the family or served on the volunteer
  (disclosures.WitnessSummons.objects.holding());
- an open subject access request by someone of the family, or by the volunteer
  (disclosures.SubjectAccessRequest.objects.open()).

A new kind of hold is one more function in HOLD_PROVIDERS below.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable

from families.models import Concern

Holds = dict[int, list[str]]
HoldProvider = Callable[[str, Collection[int]], Holds]


def _collect(pairs: Iterable[tuple[int, str]]) -> Holds:
    found: Holds = defaultdict(list)
    for record_id, reason in pairs:
        found[record_id].append(reason)
    return found


def open_concerns(record_type: str, ids: Collection[int]) -> Holds:
    if record_type != "family" or not ids:
        return {}
    rows = Concern.objects.filter(family_id__in=ids, status=Concern.Status.OPEN).values_list(
        "family_id", "pk"
    )
    return _collect((family_id, f"open concern #{pk}") for family_id, pk in rows)


def undecided_disclosure_requests(record_type: str, ids: Collection[int]) -> Holds:
    if record_type != "family" or not ids:
        return {}
    from disclosures.models import DisclosureRequest  # the app builds on families, not on us

    rows = DisclosureRequest.objects.open().filter(family_id__in=ids).values_list("family_id", "pk")
    return _collect((family_id, f"undecided disclosure request #{pk}") for family_id, pk in rows)


def _column(record_type: str) -> str:
    return "family_id" if record_type == "family" else "volunteer_id"


def open_witness_summonses(record_type: str, ids: Collection[int]) -> Holds:
    if not ids:
        return {}
    from disclosures.models import WitnessSummons

    column = _column(record_type)
    rows = (
        WitnessSummons.objects.holding().filter(**{f"{column}__in": ids}).values_list(column, "pk")
    )
    return _collect((record_id, f"witness summons #{pk}") for record_id, pk in rows)


def open_subject_access_requests(record_type: str, ids: Collection[int]) -> Holds:
    if not ids:
        return {}
    from disclosures.models import SubjectAccessRequest

    column = _column(record_type)
    rows = (
        SubjectAccessRequest.objects.open()
        .filter(**{f"{column}__in": ids})
        .values_list(column, "pk")
    )
    return _collect((record_id, f"open subject access request #{pk}") for record_id, pk in rows)


HOLD_PROVIDERS: list[HoldProvider] = [
    open_concerns,
    undecided_disclosure_requests,
    open_witness_summonses,
    open_subject_access_requests,
]


def holds_for(record_type: str, ids: Collection[int]) -> Holds:
    """Every hold on each of `ids`; a record with none is absent."""
    found: Holds = defaultdict(list)
    for provider in HOLD_PROVIDERS:
        for record_id, reasons in provider(record_type, ids).items():
            found[record_id] += reasons
    return dict(found)
