"""On PostgreSQL the accident book is kept forever against more than DELETE: a trigger
refuses UPDATE of an entry once its 24-hour correction window has passed (and moving an
entry's recording time forward, which would reopen the window), TRUNCATE of the book or of
its history while they hold a row, and any change or deletion of its history rows.

(TRUNCATE of an empty table loses nothing, so test database flushes still work; the window
is EDIT_WINDOW_HOURS of retention/models/accident.py, written out here because a migration
must not change when that constant does.)"""

from django.db import migrations

TRIGGERS = """
CREATE OR REPLACE FUNCTION retention_accident_sealed() RETURNS trigger AS $$
BEGIN
    IF OLD.recorded_at <= now() - interval '24 hours' THEN
        RAISE EXCEPTION 'retention_accidententry refuses UPDATE: entry % is sealed (recorded '
            'more than 24 hours ago; the accident book is kept forever)', OLD.id;
    END IF;
    IF NEW.recorded_at > OLD.recorded_at THEN
        RAISE EXCEPTION 'retention_accidententry refuses UPDATE: entry %''s recording time '
            'cannot move forward', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION retention_refuse_truncate_unless_empty() RETURNS trigger AS $$
DECLARE
    has_rows boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO has_rows;
    IF has_rows THEN
        RAISE EXCEPTION '% refuses TRUNCATE: %', TG_TABLE_NAME, TG_ARGV[0];
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER retention_accidententry_sealed
    BEFORE UPDATE ON retention_accidententry
    FOR EACH ROW EXECUTE FUNCTION retention_accident_sealed();
CREATE TRIGGER retention_accidententry_no_truncate
    BEFORE TRUNCATE ON retention_accidententry
    FOR EACH STATEMENT EXECUTE FUNCTION
        retention_refuse_truncate_unless_empty('the accident book is kept forever');
CREATE TRIGGER retention_historicalaccidententry_kept_forever
    BEFORE UPDATE OR DELETE ON retention_historicalaccidententry
    FOR EACH ROW EXECUTE FUNCTION
        retention_refuse('the accident book is kept forever, with its corrections');
CREATE TRIGGER retention_historicalaccidententry_no_truncate
    BEFORE TRUNCATE ON retention_historicalaccidententry
    FOR EACH STATEMENT EXECUTE FUNCTION
        retention_refuse_truncate_unless_empty('the accident book is kept forever');
"""
DROP = """
DROP TRIGGER IF EXISTS retention_accidententry_sealed ON retention_accidententry;
DROP TRIGGER IF EXISTS retention_accidententry_no_truncate ON retention_accidententry;
DROP TRIGGER IF EXISTS retention_historicalaccidententry_kept_forever
    ON retention_historicalaccidententry;
DROP TRIGGER IF EXISTS retention_historicalaccidententry_no_truncate
    ON retention_historicalaccidententry;
DROP FUNCTION IF EXISTS retention_accident_sealed();
DROP FUNCTION IF EXISTS retention_refuse_truncate_unless_empty();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("retention", "0002_keep_forever_triggers")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
