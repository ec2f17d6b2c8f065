"""The benchmark databases: which ones a benchmark may drop and refill (PostgreSQL, named
*_bench, never anything else), and dropping and creating them."""

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
    params = {
        key: settings_dict[setting]
        for key, setting in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
        if settings_dict.get(setting)
    }
    if settings_dict.get("PASSWORD"):
        params["password"] = settings_dict["PASSWORD"]
    name = psycopg.sql.Identifier(settings_dict["NAME"])
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(name))
