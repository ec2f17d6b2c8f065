"""On PostgreSQL, triggers refuse what the models already refuse, to everyone, the
application included: deleting an accident book entry (kept forever, CHI-4.9), and changing
or deleting a destruction register entry. (TRUNCATE, used by test database flushes, stays
possible for the database owner; production should also REVOKE it from the app's role.)"""

from django.db import migrations

TRIGGERS = """
CREATE OR REPLACE FUNCTION retention_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% refuses %: %', TG_TABLE_NAME, TG_OP, TG_ARGV[0];
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER retention_accidententry_kept_forever
    BEFORE DELETE ON retention_accidententry
    FOR EACH ROW EXECUTE FUNCTION retention_refuse('the accident book is kept forever');
CREATE TRIGGER retention_destructionrecord_append_only
    BEFORE UPDATE OR DELETE ON retention_destructionrecord
    FOR EACH ROW EXECUTE FUNCTION retention_refuse('the destruction register is append-only');
"""
DROP = """
DROP TRIGGER IF EXISTS retention_accidententry_kept_forever ON retention_accidententry;
DROP TRIGGER IF EXISTS retention_destructionrecord_append_only ON retention_destructionrecord;
DROP FUNCTION IF EXISTS retention_refuse();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
