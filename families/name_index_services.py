"""Keeping what the coordinator finds families by in step with the names: the keyed n-gram
blind index (families.models.NameToken) and each family's sealed line of names for the lists
(Family.people_names). Every service that writes an adult's or a child's name calls
name_index_refresh in its own transaction (families/services.py); retention destroys both
with the family (the rows cascade from it, the line is sealed under its key: retention/plan.py);
and `manage.py name_index_rebuild` builds them for families entered before they existed."""

from django.db import transaction

from cccc.models import Centre
from families import name_index
from families.models import Family, NameToken
from families.names import Person, people_line, people_of


def _tokens(family: Family, people: list[Person]) -> set[int]:
    tokens: set[int] = set()
    for person in people:
        tokens |= name_index.person_tokens(
            family.centre_id, person.first_name, person.last_name, person.born, child=person.child
        )
    return tokens


def _replace(families: list[Family]) -> int:
    people = people_of(families, births=True)
    NameToken.objects.filter(family__in=families).delete()
    rows = [
        NameToken(centre_id=family.centre_id, family=family, token=token)
        for family in families
        for token in sorted(_tokens(family, people[family.pk]))
    ]
    NameToken.objects.bulk_create(rows, batch_size=2000)
    field = Family._meta.get_field("people_names")
    for family in families:
        # Sealed here and stored with update(): a derived value, with no history row of its own.
        sealed = field.seal(family, people_line(people[family.pk]))
        Family.objects.filter(pk=family.pk).update(people_names=sealed)
    return len(rows)


@transaction.atomic
def name_index_refresh(*, family: Family) -> int:
    """Replace the family's hashes and line of names by those of its people as now stored;
    returns how many hashes."""
    family = Family.objects.select_related("data_key").get(pk=family.pk)
    return _replace([family])


def name_index_rebuild(
    *, centre: Centre | None = None, missing_only: bool = False, batch_size: int = 500
) -> int:
    """Rebuild every family's hashes and line of names (of one centre, or all; or only the
    families that have no line yet), a batch of families per transaction, so it can be
    stopped and run again. Returns the number of families."""
    families = Family.objects.order_by("pk")
    if centre is not None:
        families = families.filter(centre=centre)
    if missing_only:
        families = families.filter(people_names__isnull=True)
    done, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(families.filter(pk__gt=last).select_related("data_key")[:batch_size])
            if not batch:
                return done
            _replace(batch)
        done, last = done + len(batch), batch[-1].pk
