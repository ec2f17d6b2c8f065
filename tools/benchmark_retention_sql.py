"""The retention benchmark's other contender and its referee. Plain SQL on the copy of the
database, in one transaction: temporary tables of the ids to delete (found through the live
and the history tables, as the job finds them), then one DELETE ... WHERE id IN (SELECT ...)
per table, children first, then every history table, then the data keys. And the row counts of
every family, volunteer, disclosure and key table, which must come out the same on both
databases."""

import datetime
import time

import psycopg
from django.db import connection

from cccc.models import DataKey
from families.models import Family
from retention import plan
from tools.benchmark_database import admin_params, copy_name
from volunteers.models import Volunteer

# The ids to delete, found as the job finds them: through the live and the history tables.
_FOUND = [
    ("d_family", "SELECT id, data_key_id FROM families_family WHERE last_activity < %(cutoff)s"),
    *(
        (
            f"d_{name}",
            f"SELECT id FROM families_{name} WHERE family_id IN (SELECT id FROM d_family) "  # noqa: S608 - our own table names
            f"UNION SELECT id FROM families_historical{name} "
            "WHERE family_id IN (SELECT id FROM d_family)",
        )
        for name in ("adult", "child", "referral", "contactsession", "series", "concern")
    ),
    *(
        (
            f"d_{name}",
            f"SELECT id FROM {table} WHERE family_id IN (SELECT id FROM d_family) "  # noqa: S608 - our own table names
            f"UNION SELECT id FROM {history} WHERE family_id IN (SELECT id FROM d_family)",
        )
        for name, table, history in (
            (
                "disclosurerequest",
                "disclosures_disclosurerequest",
                "disclosures_historicaldisclosurerequest",
            ),
            ("keeplonger", "retention_keeplonger", "retention_historicalkeeplonger"),
        )  # fmt: skip
    ),
    *(
        (
            f"d_{name}",
            " UNION ".join(
                f"SELECT id FROM {t} WHERE {column} IN (SELECT id FROM d_{parent})"  # noqa: S608
                for t in (table, history)
                for column, parent in ((a, pa), (b, pb))
            ),
        )
        for name, table, history, a, pa, b, pb in (
            (
                "sessionattendance",
                "families_sessionattendance",
                "families_historicalsessionattendance",
                "session_id",
                "contactsession",
                "adult_id",
                "adult",
            ),
            (
                "childattendance",
                "families_childattendance",
                "families_historicalchildattendance",
                "session_id",
                "contactsession",
                "child_id",
                "child",
            ),
            (
                "keepapart",
                "families_keepapart",
                "families_historicalkeepapart",
                "adult_a_id",
                "adult",
                "adult_b_id",
                "adult",
            ),
        )  # fmt: skip
    ),
    *(
        (
            f"d_{name}",
            f"SELECT id FROM {table} WHERE {a} IN (SELECT id FROM d_{pa}) "  # noqa: S608 - our own table names
            f"UNION SELECT id FROM {history} WHERE {a} IN (SELECT id FROM d_{pa})",
        )
        for name, table, history, a, pa in (
            (
                "sessionnote",
                "families_sessionnote",
                "families_historicalsessionnote",
                "session_id",
                "contactsession",
            ),
            (
                "rotaentry",
                "volunteers_rotaentry",
                "volunteers_historicalrotaentry",
                "session_id",
                "contactsession",
            ),
            (
                "rulesacknowledgement",
                "families_rulesacknowledgement",
                "families_historicalrulesacknowledgement",
                "adult_id",
                "adult",
            ),
            (
                "consentgrant",
                "disclosures_consentgrant",
                "disclosures_historicalconsentgrant",
                "adult_id",
                "adult",
            ),
        )  # fmt: skip
    ),
]
# Children before parents; then every history table; then the keys.
_LIVE = [
    ("families_sessionattendance", "sessionattendance"),
    ("families_childattendance", "childattendance"),
    ("families_sessionnote", "sessionnote"),
    ("volunteers_rotaentry", "rotaentry"),
    ("disclosures_disclosurerequest", "disclosurerequest"),
    ("disclosures_consentgrant", "consentgrant"),
    ("families_keepapart", "keepapart"),
    ("families_rulesacknowledgement", "rulesacknowledgement"),
    ("retention_keeplonger", "keeplonger"),
    ("families_concern", "concern"),
    ("families_contactsession", "contactsession"),
    ("families_series", "series"),
    ("families_referral", "referral"),
    ("families_child", "child"),
    ("families_adult", "adult"),
    ("families_family", "family"),
]


def _history_table(table: str) -> str:
    app, _, model = table.partition("_")
    return f"{app}_historical{model}"


def plain_sql_statements() -> list[str]:
    statements = []
    for name, select in _FOUND:
        statements += [f"CREATE TEMP TABLE {name} AS {select}", f"ANALYZE {name}"]
    statements += [
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM d_{name})"  # noqa: S608
        for table, name in _LIVE
    ]
    statements += [
        f"DELETE FROM {_history_table(table)} WHERE id IN (SELECT id FROM d_{name})"  # noqa: S608
        for table, name in _LIVE
    ]
    # The names' search hashes: no history table; before the families they point at.
    statements.insert(
        statements.index("DELETE FROM families_family WHERE id IN (SELECT id FROM d_family)"),
        "DELETE FROM families_nametoken WHERE family_id IN (SELECT id FROM d_family)",
    )
    statements.append("DELETE FROM cccc_datakey WHERE id IN (SELECT data_key_id FROM d_family)")
    return statements


def run_plain_sql(settings_dict: dict, cutoff: datetime.datetime) -> float:
    """The plain DELETEs on the copy, in one transaction; returns seconds taken."""
    params = admin_params(settings_dict)
    with psycopg.connect(dbname=copy_name(settings_dict["NAME"]), **params) as db:
        started = time.perf_counter()
        with db.transaction():
            for statement in plain_sql_statements():
                db.execute(statement, {"cutoff": cutoff} if "%(cutoff)s" in statement else None)
        return time.perf_counter() - started


def counted_tables() -> list[str]:
    tables = {DataKey._meta.db_table}
    for root in (Family, Volunteer):
        for node in plan.ownership(root).nodes:
            tables.add(node.model._meta.db_table)
            if node.history is not None:
                tables.add(node.history._meta.db_table)
    return sorted(tables)


def row_counts(dbname: str | None, settings_dict: dict) -> dict[str, int]:
    tables = counted_tables()
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM {t}"  # noqa: S608
        for t in tables
    )
    if dbname is None:
        with connection.cursor() as cursor:
            cursor.execute(query)
            return dict(cursor.fetchall())
    with psycopg.connect(dbname=dbname, **admin_params(settings_dict)) as db:
        return dict(db.execute(query).fetchall())
