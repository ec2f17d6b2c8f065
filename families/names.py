"""The names of a family's adults and children, opened for the coordinator's lists (the
family list and search results, the dashboard, the day and week views), the search's check of
its candidates and the duplicate check.

Lists read each family's line of names (Family.people_names: its people's names as one
sealed value, kept by families/name_index_services.py), so a list of two hundred families
opens two hundred values, not two thousand, with no query beyond the families' own. The
search and the duplicate check read the people themselves (people_of). Every value is opened
in memory under the family's own data key, for the page being drawn, and never kept. Only
coordinator pages call this: volunteers see first names on their own sessions only, and never
through these lists.
"""

import dataclasses
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from cccc.fields import open_own_values, open_values
from families.models import Adult, Child, Family
from families.timeline import SessionCard


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    child: bool
    born: datetime.date | None = None  # read only when asked for (births=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class FamilyNames:
    adults: tuple[str, ...] = ()
    children: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.adults or self.children)

    def __str__(self) -> str:
        """One line: "Amira Holloway, Dean Holloway; children: Lily Holloway"."""
        line = ", ".join(self.adults)
        if self.children:
            line = f"{line}; children: {', '.join(self.children)}".lstrip("; ")
        return line


NOBODY = FamilyNames()


def people_of(families: Iterable[Family], *, births: bool = False) -> dict[int, list[Person]]:
    """Each family's adults then children, by family id, in the order they were added. The
    families must come with their data key (select_related("data_key")): every value is
    opened under it (cccc.fields.open_values: one query each for adults and children, no
    model instance per person)."""
    keys = {family.pk: family.data_key for family in families}
    found: dict[int, list[Person]] = {pk: [] for pk in keys}
    if not keys:
        return found
    for family_id, (first, last) in open_values(
        Adult, ["first_name", "last_name"], owner="family", keys=keys
    ):
        found[family_id].append(Person(first, last, child=False))
    child_fields = ["first_name", "last_name", *(["date_of_birth"] if births else [])]
    for family_id, (first, last, *born) in open_values(
        Child, child_fields, owner="family", keys=keys
    ):
        found[family_id].append(Person(first, last, child=True, born=born[0] if born else None))
    return found


def people_line(people: list[Person]) -> str:
    """What Family.people_names holds: the names, adults then children, as JSON."""
    return json.dumps(
        {
            "adults": [str(p) for p in people if not p.child],
            "children": [str(p) for p in people if p.child],
        }
    )


def _from_line(line: str | None) -> FamilyNames:
    if not line:
        return NOBODY  # no one named yet, or not indexed yet
    names = json.loads(line)
    return FamilyNames(tuple(names["adults"]), tuple(names["children"]))


def names_of(families: Iterable[Family]) -> dict[int, FamilyNames]:
    """Each family's names, by id, from its line of names. The families must come with their
    data key (select_related("data_key")) and their line (not deferred): each line is opened
    under the family's key without a further query."""
    return {family.pk: _from_line(family.people_names) for family in families}


def names_for_ids(ids: Iterable[int]) -> dict[int, FamilyNames]:
    """As names_of, from family ids: one query, and no model instance per family (a
    dashboard names two hundred). The caller has read the ids through the access helpers:
    this adds names to rows already allowed, and never finds rows."""
    lines = open_own_values(Family, ["people_names"], ids=sorted(set(ids)))
    return {pk: _from_line(line) for pk, (line,) in lines.items()}


def with_names(
    cards: list[SessionCard], names: dict[int, FamilyNames] | None = None
) -> list[SessionCard]:
    """The session cards, each with its family's names (from `names` when the page has
    read them already with other families')."""
    if names is None:
        names = names_for_ids(card.family_id for card in cards)
    return [
        dataclasses.replace(card, names=str(names.get(card.family_id, NOBODY))) for card in cards
    ]


def add_names(families: Iterable[Family], names: dict[int, FamilyNames] | None = None) -> None:
    """Set `names` on each family of a list already read: from `names`, or opened here (the
    families must then come with their data key)."""
    families = list(families)
    if names is None:
        names = names_of(families)
    for family in families:
        family.names = names.get(family.pk, NOBODY)  # type: ignore[attr-defined]
