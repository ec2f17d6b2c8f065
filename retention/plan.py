"""What belongs to a family or a volunteer, found from the models themselves, and how to
delete all of it with a few set-based statements.

`ownership(Family)` walks every relation that cascades from the root (Adult, Child,
Referral, ContactSession → SessionAttendance, ChildAttendance, SessionNote, RotaEntry,
Adult → KeepApart, RulesAcknowledgement, ConsentGrant, Concern, DisclosureRequest, ...),
so a model added later that hangs off a family is destroyed with it without anyone
remembering to list it here. Each model's simple_history table comes with it.

A record's rows are found through the history tables as well as the live ones: every session
id ever recorded for the family in HistoricalContactSession, then every attendance ever
recorded for one of those sessions, and so on, so the history of a sub-record deleted long
ago goes too.

Deletion is a few set-based statements per table, children first: DELETE ... WHERE
<foreign key> = ANY(...) for leaves, DELETE ... WHERE id = ANY(...) for the rest (chunked IN
lists on SQLite), rather than Django's object-by-object collector, so the job stays close to
plain SQL (bench-results/retention.md: about 1.2-1.4x, linear).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import connection, models
from simple_history.models import HistoricalChanges

SQLITE_CHUNK = 500


@dataclass(frozen=True)
class Link:
    """`column` of this node's table holds the id of a `parent` row."""

    field_name: str
    parent: type[models.Model]


def history_model(model: type[models.Model]) -> type[models.Model] | None:
    attr = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, attr).model if attr else None


@dataclass
class Node:
    model: type[models.Model]
    links: list[Link] = field(default_factory=list)  # cascading foreign keys into the plan
    history: type[models.Model] | None = None

    def __post_init__(self):
        self.history = history_model(self.model)


@dataclass(frozen=True)
class Nullify:
    """A SET_NULL foreign key into the plan: cleared on rows that are not destroyed."""

    model: type[models.Model]
    field_name: str
    parent: type[models.Model]


@dataclass
class Plan:
    root: type[models.Model]
    nodes: list[Node]  # parents before children
    nullify: list[Nullify]

    def models(self) -> list[type[models.Model]]:
        return [node.model for node in self.nodes]


def _is_history(model) -> bool:
    return issubclass(model, HistoricalChanges)


@cache
def ownership(root: type[models.Model]) -> Plan:
    nodes: dict[type[models.Model], Node] = {root: Node(root)}
    set_null: list[Nullify] = []
    queue = [root]
    while queue:
        parent = queue.pop(0)
        # include_hidden: relations named "+" (KeepApart's adults, ...) count too.
        for rel in parent._meta.get_fields(include_hidden=True):
            if not rel.auto_created or rel.concrete:
                continue
            child = rel.related_model
            if rel.many_to_many or _is_history(child) or not child._meta.managed:
                continue
            if rel.on_delete is models.CASCADE:
                if child not in nodes:
                    nodes[child] = Node(child)
                    queue.append(child)
                nodes[child].links.append(Link(rel.field.name, parent))
            elif rel.on_delete is models.SET_NULL:
                set_null.append(Nullify(child, rel.field.name, parent))
            # PROTECT and RESTRICT from outside the plan stop the deletion at commit (the
            # batch rolls back whole); DO_NOTHING points at nothing we keep.
    return Plan(root, _parents_first(nodes), set_null)


def _parents_first(nodes: dict) -> list[Node]:
    """Order so that every model comes after each plan model it has a foreign key to."""
    ordered, placed = [], set()

    def depends_on(model) -> set:
        return {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in nodes and f.related_model is not model
        }

    remaining = list(nodes)
    while remaining:
        ready = [m for m in remaining if depends_on(m) <= placed]
        if not ready:
            raise RuntimeError(f"Foreign keys form a cycle among {remaining}")
        for model in ready:
            ordered.append(nodes[model])
            placed.add(model)
            remaining.remove(model)
    return ordered


# --- SQL ------------------------------------------------------------------------------------


def _column(model, field_name: str) -> str:
    return model._meta.get_field(field_name).column


def _pk_column(model, history_of=None) -> str:
    # A historical table keeps the original's id in a plain indexed column of the same name.
    return _column(model, (history_of or model)._meta.pk.name)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    if connection.vendor == "postgresql":
        yield ids
    else:
        for start in range(0, len(ids), SQLITE_CHUNK):
            yield ids[start : start + SQLITE_CHUNK]


def _where_in(column: str, ids: list[int]) -> tuple[str, list]:
    quoted = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        # One array literal: cheap to send, however many ids, and one plan for any count.
        return f"{quoted} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"]
    return f"{quoted} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def select_ids(model, column: str, ids: Iterable[int], *, id_column: str = "id") -> set[int]:
    ids = sorted(set(ids))
    found: set[int] = set()
    if not ids:
        return found
    table, qn = model._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            where, params = _where_in(column, chunk)
            cursor.execute(f"SELECT {qn(id_column)} FROM {qn(table)} WHERE {where}", params)  # noqa: S608
            found.update(row[0] for row in cursor.fetchall())
    return found


def delete_rows(model, column: str, ids: Iterable[int]) -> int:
    ids = sorted(set(ids))
    if not ids:
        return 0
    deleted, table = 0, connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            where, params = _where_in(column, chunk)
            cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
            deleted += cursor.rowcount
    return deleted


def _nullify(rule: Nullify, parent_ids: set[int]) -> None:
    """Clear a SET_NULL foreign key on the rows (not destroyed) that point at doomed rows."""
    if not parent_ids:
        return
    qn = connection.ops.quote_name
    column = _column(rule.model, rule.field_name)
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(parent_ids)):
            where, params = _where_in(column, chunk)
            cursor.execute(
                f"UPDATE {qn(rule.model._meta.db_table)} SET {qn(column)} = NULL WHERE {where}",  # noqa: S608
                params,
            )


def delete_linked(model, links: list[Link], ids: dict) -> int:
    """DELETE the rows of `model` whose links point at any of the gathered parent ids."""
    qn, deleted = connection.ops.quote_name, 0
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        for link in links:
            parent_ids = sorted(ids[link.parent])
            for chunk in _chunks(parent_ids) if parent_ids else ():
                where, params = _where_in(_column(model, link.field_name), chunk)
                cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
                deleted += cursor.rowcount
    return deleted


# --- gather and destroy ---------------------------------------------------------------------


def _parents(plan: Plan) -> set:
    """Plan models that other rows point at: their ids must be gathered first."""
    return {link.parent for node in plan.nodes for link in node.links} | {
        rule.parent for rule in plan.nullify
    }


def gather(plan: Plan, root_ids: Iterable[int]) -> dict[type[models.Model], set[int]]:
    """Every id, live or only in history, of every plan model that others point at: the
    roots, then (say) every session id ever recorded for them, live or in history."""
    parents = _parents(plan)
    ids = {plan.root: set(root_ids)}
    for node in plan.nodes[1:]:
        if node.model not in parents:
            continue  # a leaf: deleted by its links, no need to know its ids
        found: set[int] = set()
        for link in node.links:
            parent_ids = ids[link.parent]
            if not parent_ids:
                continue
            pk = _pk_column(node.model)
            found |= select_ids(
                node.model, _column(node.model, link.field_name), parent_ids, id_column=pk
            )
            if node.history is not None:
                found |= select_ids(
                    node.history,
                    _column(node.history, link.field_name),
                    parent_ids,
                    id_column=_pk_column(node.history, node.model),
                )
        ids[node.model] = found
    return ids


def destroy(plan: Plan, root_ids: Iterable[int]) -> dict[str, int]:
    """Delete the roots, every row that belongs to them and every history row of those, in
    the caller's transaction (all of it lands, or none of it); returns rows per table.

    Leaves (nothing points at them) go by their links in one statement per link, live and
    history alike; the others by the ids gathered through the live and the history tables,
    so the history of a sub-record deleted long ago goes too."""
    ids = gather(plan, root_ids)
    counts: dict[str, int] = {}
    for node in reversed(plan.nodes):  # children first
        table = node.model._meta.db_table
        if node.model not in ids:
            counts[table] = delete_linked(node.model, node.links, ids)
            if node.history is not None:
                counts[node.history._meta.db_table] = delete_linked(node.history, node.links, ids)
            continue
        for rule in plan.nullify:
            if rule.parent is node.model:
                _nullify(rule, ids[node.model])
        counts[table] = delete_rows(node.model, _pk_column(node.model), ids[node.model])
    for node in plan.nodes:
        if node.model in ids and node.history is not None:
            column = _pk_column(node.history, node.model)
            counts[node.history._meta.db_table] = delete_rows(node.history, column, ids[node.model])
    return counts
