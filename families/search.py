"""Finding a family (SPEC §4: no plaintext in the database, the URL or logs), and the check
for a family the centre already has, both through the keyed n-gram blind index
(families/name_index.py, kept by families/name_index_services.py).

The index proposes candidates: families of the centre holding every hash the term asks for.
Their names are then opened in memory (families/names.py) and only the families where the
term really is part of a name are kept, so neither a chance match of hashes nor trigrams
spread over two people ever shows.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from families import name_index
from families.models import Family, NameToken
from families.names import Person, people_of


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def matching_family_ids(families: QuerySet[Family], *, centre_id: int, text: str) -> list[int]:
    """The families, among `families` (already limited to what the user may see), found by
    `text`: part of a name (three letters or more), a whole short name ("Ng"), or, when it
    holds a digit, part of the reference ("0001", "2026-0014")."""
    term = name_index.normalise(text)
    found: set[int] = set()
    if _has_digit(text):
        reference = "".join(text.split()).upper()
        found |= set(families.filter(reference__contains=reference).values_list("pk", flat=True))
    tokens = name_index.term_tokens(centre_id, term)
    if tokens:
        hits = (
            NameToken.objects.filter(centre_id=centre_id, token__in=tokens)
            .values("family")
            .annotate(n=Count("token"))
            .filter(n=len(tokens))
            .values("family")
        )
        candidates = families.filter(pk__in=hits).select_related("data_key")
        for pk, people in people_of(candidates).items():
            if any(name_index.person_matches(term, p.first_name, p.last_name) for p in people):
                found.add(pk)
    return sorted(found)


# --- a family the centre may already have ------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """An existing family holding someone typed into a new family or referral."""

    family: Family
    who: tuple[str, ...]  # the matching people, as stored

    @property
    def pk(self) -> int:
        return self.family.pk


def possible_duplicates(
    families: QuerySet[Family],
    *,
    centre_id: int,
    adults: Iterable[tuple[str, str]],
    children: Iterable[tuple[str, str, datetime.date | None]],
    exclude: int | None = None,
) -> list[Duplicate]:
    """Families of the centre (among `families`) with an adult of the same name, or a child
    of the same name and date of birth, as one of the people given (not yet saved), in
    reference order. `exclude` is the family being edited."""
    adults, children = list(adults), list(children)
    tokens = name_index.identity_tokens(centre_id, adults, children)
    if not tokens:
        return []
    wanted = {name_index.identity(first, last) for first, last in adults}
    wanted |= {name_index.identity(first, last, born) for first, last, born in children if born}
    hits = NameToken.objects.filter(centre_id=centre_id, token__in=tokens).values("family")
    candidates_qs = families.filter(pk__in=hits).select_related("data_key")
    if exclude is not None:
        candidates_qs = candidates_qs.exclude(pk=exclude)
    candidates = list(candidates_qs.order_by("reference"))
    people = people_of(candidates, births=True)
    found = []
    for family in candidates:
        who = tuple(str(p) for p in people[family.pk] if _identity(p) in wanted)
        if who:
            found.append(Duplicate(family, who))
    return found


def _identity(person: Person) -> str | None:
    if not person.child:
        return name_index.identity(person.first_name, person.last_name)
    if person.born is None:
        return None  # a child is matched by name and date of birth
    return name_index.identity(person.first_name, person.last_name, person.born)
