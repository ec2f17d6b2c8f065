"""The audit trail is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of its
rows to everyone, the application included. (TRUNCATE, used by test database flushes, stays
possible for the database owner; production should also REVOKE it from the app's role.)"""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION cccc_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log (%) is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cccc_accesslog_append_only
    BEFORE UPDATE OR DELETE ON cccc_accesslog
    FOR EACH ROW EXECUTE FUNCTION cccc_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS cccc_accesslog_append_only ON cccc_accesslog;
DROP FUNCTION IF EXISTS cccc_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cccc", "0002_audit_chain")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
