"""The names of a family's adults and children, opened for the coordinator's lists (the
family list and search results, the dashboard, the day and week views), the search's check of
its candidates and the duplicate check.

Each value is opened in memory under the family's own data key, for the page being drawn, and
never kept: two queries for any number of families (three from their ids), so a list costs
the same queries however long it is. Only coordinator pages call this: volunteers see first
names on their own sessions only, and never through these lists.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

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
    opened under it without a further query."""
    by_id = {family.pk: family for family in families}
    found: dict[int, list[Person]] = {pk: [] for pk in by_id}
    if not by_id:
        return found
    queries: list[tuple[bool, list[str]]] = [
        (False, []),
        (True, ["date_of_birth"] if births else []),
    ]
    for child, more in queries:
        model: type[Adult] | type[Child] = Child if child else Adult
        rows = (
            model.objects.filter(family_id__in=list(by_id))
            .only("family", "first_name", "last_name", *more)
            .order_by("family_id", "pk")
        )
        for row in rows:
            row.family = by_id[row.family_id]  # the loaded family, with its data key
            born = row.date_of_birth if births and isinstance(row, Child) else None
            found[row.family_id].append(Person(row.first_name, row.last_name, child, born))
    return found


def names_of(families: Iterable[Family]) -> dict[int, FamilyNames]:
    """Each family's names, by id (families with their data key, as for people_of)."""
    return {
        pk: FamilyNames(
            tuple(str(p) for p in people if not p.child), tuple(str(p) for p in people if p.child)
        )
        for pk, people in people_of(families).items()
    }


def names_for_ids(ids: Iterable[int]) -> dict[int, FamilyNames]:
    """As names_of, from family ids (one query more). The caller has read the ids through
    the access helpers: this adds names to rows already allowed, and never finds rows."""
    return names_of(Family.objects.filter(pk__in=set(ids)).select_related("data_key"))


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
