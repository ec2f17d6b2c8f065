"""Migration tests' one way to move the test database between migrations: `migrate(targets)`
runs the migrations to the targets and returns the models as they were there (the historical
apps, for `get_model`); `migrate_to_latest()` puts every app back at its last migration, for
the tests that follow (call it in a `finally`). The tests using them are
`django_db(transaction=True)`: a migration cannot run inside the test's transaction."""

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Targets = list[tuple[str, str]]


def migrate(targets: Targets) -> Apps:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
