"""Rows for COPY without a model instance per row: the network-sized data set is some fifty
million rows, and building, sealing and adapting a Django instance for each cost most of the
generator's time.

`Table` lays a model's values out in its column order, sealing each encrypted value under the
owner's data key exactly as the field's `pre_save` does (`crypto.Sealer`: the same token, the
cipher set up once per key rather than once per value) and computing each blind index as
`BlindIndexField` does (cached: the same surname gives the same digest). `copy_text` writes
the rows as COPY's text format itself, a line per row, rather than adapting value by value.
"""

import datetime
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import psycopg
from django.db import connection

from cccc import crypto
from cccc.fields import BlindIndexField, EncryptedField, Sealed

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _string(value: str) -> str:
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def _bytes(value: bytes | memoryview) -> str:
    return "\\\\x" + bytes(value).hex()


_SPECIAL = re.compile(r"[\\\t\n\r]")
# How COPY's text format writes each type of value (a bool before int: True is an int).
_FORMATS: dict[type, Any] = {
    type(None): lambda _: NULL,
    bool: lambda v: "t" if v else "f",
    str: _string,
    Sealed: _string,
    int: str,
    float: repr,
    datetime.date: datetime.date.isoformat,
    datetime.time: datetime.time.isoformat,
    datetime.datetime: datetime.datetime.isoformat,  # with its offset
    bytes: _bytes,
    memoryview: _bytes,
}


def _text(value: Any) -> str:
    """One value as COPY's text format writes it."""
    fmt = _FORMATS.get(type(value))
    if fmt is None:  # a subclass, such as a choices enum (a str): as its base, from now on
        base = next(f for t, f in _FORMATS.items() if isinstance(value, t) and t is not bool)
        fmt = _FORMATS[type(value)] = (lambda v: base(str(v))) if isinstance(value, str) else base
    return fmt(value)


def copy_text(table: str, columns: list[str], rows: Iterable[tuple], chunk: int = 5000) -> int:
    """COPY the rows into `table`, written as text lines in chunks; returns how many."""
    sql = psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
        psycopg.sql.Identifier(table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
    )
    written, lines = 0, []
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            lines.append("\t".join([(_FORMATS.get(type(v)) or _text)(v) for v in row]))
            if len(lines) >= chunk:
                copy.write("\n".join(lines) + "\n")
                written, lines = written + len(lines), []
        if lines:
            copy.write("\n".join(lines) + "\n")
            written += len(lines)
    return written


@lru_cache(maxsize=4096)
def blind_index(purpose: str, value: str) -> str:
    return crypto.blind_index(purpose, value) if value else ""


class Table:
    """A model's rows as tuples in its column order. `add(sealer, **values)` takes values by
    attribute name (the rest from the field defaults); encrypted ones are sealed with `sealer`
    (the owner's data key) unless already a token (`Sealed`: one value sealed once and used
    on many rows of the same owner), blind indexes computed from their source value."""

    def __init__(self, model) -> None:
        self.model = model
        fields = model._meta.concrete_fields
        self.columns = [f.column for f in fields]
        self.plan = []
        for f in fields:
            if isinstance(f, EncryptedField):
                kind = "sealed"
            elif isinstance(f, BlindIndexField):
                kind = "blind"
            else:
                kind = "plain"
            default = None if f.primary_key or not f.has_default() else f.get_default()
            self.plan.append((f.attname, kind, default, f))
        self.rows: list[tuple] = []

    def add(self, sealer: crypto.Sealer | None = None, **values: Any) -> None:
        row = []
        for attname, kind, default, f in self.plan:
            value = values.get(attname, default) if attname in values else default
            if kind == "sealed" and value is not None and not isinstance(value, Sealed):
                value = sealer.seal(f.to_bytes(value), f.name)  # type: ignore[union-attr]
            elif kind == "blind":
                value = blind_index(f.purpose, values.get(f.source, ""))
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self) -> int:
        """COPY the rows in; rows added without an id take theirs from the column default."""
        columns, rows = self.columns, self.rows
        pk = [f for *_, f in self.plan].index(self.model._meta.pk)
        if rows and rows[0][pk] is None:
            columns = columns[:pk] + columns[pk + 1 :]
            rows = [row[:pk] + row[pk + 1 :] for row in rows]
        written = copy_text(self.model._meta.db_table, columns, rows)
        self.rows = []
        return written


def copy_lines(model, columns: list[str], lines: list[str], chunk: int = 20000) -> int:
    """COPY rows already written as text lines (the largest tables: their generators write
    each line with one f-string rather than a value at a time)."""
    sql = psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
        psycopg.sql.Identifier(model._meta.db_table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, len(lines), chunk):
            copy.write("\n".join(lines[start : start + chunk]) + "\n")
    return len(lines)


@lru_cache(maxsize=2048)
def time_text(minutes: int) -> str:
    """A time of day, given in minutes, as COPY reads it."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def plain(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """Rows of plain values (nothing sealed) for the named columns."""
    return copy_text(model._meta.db_table, columns, rows)
