"""The benchmark databases: which ones a benchmark may drop and refill (PostgreSQL, named
*_bench, never anything else), dropping and creating them, and the copy the retention
benchmark times plain SQL on (CREATE DATABASE ... TEMPLATE)."""

import time

import psycopg
from django.db import connection

BENCH_SUFFIX = "_bench"


def database_refusal(settings_dict: dict) -> str | None:
    """Why `bench` must not touch this database (it drops and refills it), or None."""
    if "postgresql" not in settings_dict.get("ENGINE", ""):
        return (
            "The benchmark runs on PostgreSQL only, never SQLite: set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/cccc_bench (or use `make bench`)."
        )
    name = settings_dict.get("NAME") or ""
    if not name.endswith(BENCH_SUFFIX):
        return (
            f"Refusing database {name!r}: the benchmark drops and refills its database, so "
            f"its name must end in {BENCH_SUFFIX!r} (e.g. cccc_bench)."
        )
    return None


def recreate_database(settings_dict: dict) -> None:
    """Drop the benchmark database if it exists and create it empty."""
    if reason := database_refusal(settings_dict):
        raise ValueError(reason)
    connection.close()
    name = psycopg.sql.Identifier(settings_dict["NAME"])
    with psycopg.connect(
        dbname="postgres", autocommit=True, **admin_params(settings_dict)
    ) as admin:
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))


def admin_params(settings_dict: dict) -> dict:
    """How to connect to the server itself (host, port, user, password), without a database."""
    params = {
        key: settings_dict[setting]
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if settings_dict.get(setting)
    }
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    return params


def copy_name(name: str) -> str:
    return name.removesuffix("_bench") + "_plain_bench"


def snapshot_name(name: str) -> str:
    return name.removesuffix("_bench") + "_pristine_bench"


def clone(settings_dict: dict, *, source: str, target: str) -> float:
    """DROP DATABASE <target>; CREATE DATABASE <target> TEMPLATE <source>. Both names must end
    in _bench. Returns seconds taken."""
    for name in (source, target):
        if not name.endswith(BENCH_SUFFIX):
            raise ValueError(f"Refusing database {name!r}: not a benchmark database.")
    started = time.perf_counter()
    connection.close()
    made, model = psycopg.sql.Identifier(target), psycopg.sql.Identifier(source)
    with psycopg.connect(dbname="postgres", autocommit=True, **admin_params(settings_dict)) as db:
        db.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(made))
        db.execute(
            psycopg.sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(made, model)
        )
    return time.perf_counter() - started


def make_copy(settings_dict: dict) -> float:
    """CREATE DATABASE <copy> TEMPLATE <bench database>; returns seconds taken."""
    name = settings_dict["NAME"]
    return clone(settings_dict, source=name, target=copy_name(name))


def drop(settings_dict: dict, name: str) -> None:
    if not name.endswith(BENCH_SUFFIX):
        raise ValueError(f"Refusing database {name!r}: not a benchmark database.")
    made = psycopg.sql.Identifier(name)
    with psycopg.connect(dbname="postgres", autocommit=True, **admin_params(settings_dict)) as db:
        db.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(made))


def drop_copy(settings_dict: dict) -> None:
    drop(settings_dict, copy_name(settings_dict["NAME"]))
