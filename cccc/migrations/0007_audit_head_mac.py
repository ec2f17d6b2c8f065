from django.db import migrations, models


def sign_the_existing_head(apps, schema_editor):
    """An installation upgraded with entries already chained gets its head signed now, from
    the last entry, so that it verifies. The head is trusted as found: a trail cut short
    before the upgrade is signed as it stands (the signature protects what comes after)."""
    from cccc.audit import _head_mac

    AuditHead = apps.get_model("cccc", "AuditHead")
    for head in AuditHead.objects.filter(mac=""):
        head.mac = _head_mac(head.seq, head.entry_hash)
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):
    dependencies = [("cccc", "0006_centre_data_key")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="mac",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(sign_the_existing_head, migrations.RunPython.noop),
    ]
