"""Seal the police officer's name and number (issue 20, item 5; SPEC §4), in the visits and
their history rows, under the key the rest of the row is sealed under: the family's, or the
visit's own when no family is linked. A history row whose key no longer exists (its record
was destroyed) keeps no value at all. Values already sealed are left as they are, so the
function may run twice. Reversible: the backward step opens them again."""

from django.db import migrations

import cccc.fields
from cccc import crypto
from cccc.fields import Sealed

FIELDS = ("officer_name", "officer_number")
MODELS = ("PoliceVisit", "HistoricalPoliceVisit")


def _is_token(value: str) -> bool:
    try:
        crypto.token_data_key_id(value)
    except crypto.DecryptionError:
        return False
    return True


def _rows(apps, model, connection):
    """(pk, id of the data key the row is sealed under or None, {field: stored value}). The
    stored values are read with plain SQL: an encrypted field refuses values_list(), which
    would hand back its sealed token as if it were the value (cccc.fields)."""
    family = apps.get_model("families", "Family")
    quote = connection.ops.quote_name
    columns = [model._meta.pk.column, "family_id", "data_key_id", *FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)}"  # noqa: S608
        )
        rows = cursor.fetchall()
    family_keys = dict(
        family.objects.filter(pk__in={row[1] for row in rows if row[1]}).values_list(
            "pk", "data_key_id"
        )
    )
    for pk, family_id, own_key_id, *values in rows:
        key_id = family_keys.get(family_id) if family_id else own_key_id
        yield pk, key_id, dict(zip(FIELDS, values, strict=True))


def _key_opener(apps):
    data_key = apps.get_model("cccc", "DataKey")
    opened = {}

    def key(pk):
        if pk not in opened:
            row = data_key.objects.filter(pk=pk).first() if pk else None
            opened[pk] = (
                None
                if row is None
                else crypto.unwrap_data_key(row.master_key_id, bytes(row.wrapped))
            )
        return opened[pk]

    return key


def seal_officers(apps, schema_editor):
    key = _key_opener(apps)
    for name in MODELS:
        model = apps.get_model("disclosures", name)
        for pk, key_id, values in _rows(apps, model, schema_editor.connection):
            plain_key = key(key_id)
            changes = {
                field: Sealed(
                    ""
                    if plain_key is None
                    else crypto.seal(
                        str(value).encode(), key=plain_key, data_key_id=key_id, context=field
                    )
                )
                for field, value in values.items()
                if not _is_token(value)
            }
            if changes:
                model.objects.filter(pk=pk).update(**changes)


def open_officers(apps, schema_editor):
    key = _key_opener(apps)
    for name in MODELS:
        model = apps.get_model("disclosures", name)
        for pk, key_id, values in _rows(apps, model, schema_editor.connection):
            plain_key = key(key_id)
            changes = {
                field: Sealed(
                    ""
                    if plain_key is None
                    else crypto.open_token(
                        value, key=plain_key, data_key_id=key_id, context=field
                    ).decode()
                )
                for field, value in values.items()
                if _is_token(value)
            }
            if changes:
                model.objects.filter(pk=pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0005_sar_item_review"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalpolicevisit",
            name="officer_name",
            field=cccc.fields.EncryptedCharField(key_path="sealing_key", max_length=200),
        ),
        migrations.AlterField(
            model_name="historicalpolicevisit",
            name="officer_number",
            field=cccc.fields.EncryptedCharField(
                key_path="sealing_key", max_length=40, verbose_name="collar or warrant number"
            ),
        ),
        migrations.AlterField(
            model_name="policevisit",
            name="officer_name",
            field=cccc.fields.EncryptedCharField(key_path="sealing_key", max_length=200),
        ),
        migrations.AlterField(
            model_name="policevisit",
            name="officer_number",
            field=cccc.fields.EncryptedCharField(
                key_path="sealing_key", max_length=40, verbose_name="collar or warrant number"
            ),
        ),
        migrations.RunPython(seal_officers, open_officers),
    ]
