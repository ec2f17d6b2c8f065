"""Read what a column really holds, past the model: encrypted fields refuse values() and
values_list() (cccc.fields.EncryptedValueSelected), so tests that check a column holds a token
and never the plaintext read it with plain SQL."""

from django.db import connection


def stored(model, pk: int, *fields: str):
    """The raw column values of one row (one value for one field, else a tuple)."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)
    table, pk_column = qn(model._meta.db_table), qn(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {pk_column} = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if len(fields) == 1 else tuple(row)
