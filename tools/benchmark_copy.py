"""How the benchmarks write rows: PostgreSQL COPY, a few thousand rows at a time, never one
INSERT per row. Model instances get ids reserved from the table's sequence and each field's own
`pre_save` seals its value (and computes the blind index) exactly as `save()` and
`bulk_create()` do; only the transport differs. Or, where a model instance per row would cost
too much (the retention benchmark), plain tuples sealed as the fields seal them (`Rows`), with
ids taken from the sequences beforehand (`Ids`)."""

import psycopg
from django.db import DEFAULT_DB_ALIAS, connection, connections

from cccc import crypto
from cccc.fields import BlindIndexField, EncryptedField
from cccc.models import DataKey

RESERVING = 2026_1202  # the advisory lock held while ids are taken from a sequence


def _copy(table: str, columns: list[str], rows) -> None:
    sql = psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
        psycopg.sql.Identifier(table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def insert_objects(model, objs: list) -> None:
    """Insert unsaved instances with ids from the table's sequence, sealing every encrypted
    value through its field's pre_save, as Model.save() and bulk_create() would."""
    if not objs:
        return
    first = reserve_ids(model, len(objs))
    for pk, obj in enumerate(objs, start=first):
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # FK ids, as bulk_create
        obj.pk = pk
    fields = model._meta.concrete_fields
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-call proxy
    _copy(
        model._meta.db_table,
        [f.column for f in fields],
        ([f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields] for obj in objs),
    )


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain rows (no encrypted field) straight into COPY, ids from the column default."""
    if rows:
        _copy(model._meta.db_table, columns, rows)


def unsaved_data_key() -> DataKey:
    """A new data key, wrapped under the master key, its plaintext cached for sealing."""
    master_key_id, wrapped = crypto.wrap_data_key(plain := crypto.new_data_key())
    key = DataKey(master_key_id=master_key_id, wrapped=wrapped)
    key._plaintext = plain  # what DataKey.plaintext() would cache after unwrapping it
    return key


class Rows:
    """Tuples for COPY in a model's column order; encrypted values sealed under a family's
    key exactly as EncryptedField.seal seals them, blind indexes as BlindIndexField computes
    them."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.rows: list[tuple] = []

    def add(self, key: tuple[int, bytes] | None = None, **values) -> None:
        row = []
        for f in self.fields:
            value = values[f.attname] if f.attname in values else f.get_default()
            if isinstance(f, EncryptedField) and value is not None:
                key_id, key_bytes = key
                value = crypto.seal(
                    f.to_bytes(value), key=key_bytes, data_key_id=key_id, context=f.name
                )
            elif isinstance(f, BlindIndexField):
                source = values.get(f.source, "")
                value = crypto.blind_index(f.purpose, source) if source else ""
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self) -> None:
        columns, rows = self.columns, self.rows
        pk = self.fields.index(self.model._meta.pk)
        if rows and rows[0][pk] is None:  # ids from the column default
            columns = columns[:pk] + columns[pk + 1 :]
            rows = [row[:pk] + row[pk + 1 :] for row in rows]
        insert_rows(self.model, columns, rows)
        self.rows = []


def reserve_ids(model, count: int) -> int:
    """Take `count` ids from the table's sequence; returns the first."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # nextval then setval is two steps: generators filling in parallel take turns.
        cursor.execute("SELECT pg_advisory_lock(%s)", [RESERVING])
        try:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            return cursor.fetchone()[0] - count + 1
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RESERVING])


class Ids:
    def __init__(self, model, count: int):
        self.next = reserve_ids(model, count) if count else 0

    def take(self) -> int:
        self.next += 1
        return self.next - 1
