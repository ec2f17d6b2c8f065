"""Field encryption (SPEC §4): round trips, strictness, rotation, crypto-shredding."""

import base64
import datetime
import os

import pytest
from django.db import connection, models
from django.test import override_settings

from cccc import crypto
from cccc.fields import EncryptedDateField
from cccc.keys import data_key_destroy, data_keys_rewrap
from cccc.models import DataKey
from families.models import Adult, Family
from tests.factories import AdultFactory, FamilyFactory, PoliceVisitFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

OLD_RING = "old:" + base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_RING = "new:" + base64.urlsafe_b64encode(b"n" * 32).decode()


def raw_column(model, pk: int, column: str) -> str:
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {model._meta.db_table} WHERE {pk_column} = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def fresh(model, pk):
    return model.objects.get(pk=pk)


def test_it_round_trips_text_email_and_unicode():
    adult = AdultFactory(
        first_name="Zoë", last_name="Ó Briain-Ñúñez 李", email="zoe@example.org", phone=""
    )
    loaded = fresh(Adult, adult.pk)
    assert loaded.first_name == "Zoë"
    assert loaded.last_name == "Ó Briain-Ñúñez 李"
    assert loaded.email == "zoe@example.org"
    assert loaded.phone == ""


def test_it_stores_the_empty_string_as_ciphertext_too():
    adult = AdultFactory(phone="")
    token = raw_column(Adult, adult.pk, "phone")
    assert token.startswith("v1:")
    assert fresh(Adult, adult.pk).phone == ""


def test_it_round_trips_a_date():
    # Date fields have no model using them yet in the foundation; exercise the field itself.
    field = EncryptedDateField(key_path="data_key")
    field.name = "date_of_birth"
    family = FamilyFactory()
    token = field.seal(family, datetime.date(2019, 2, 28))
    assert field.open(family, token) == datetime.date(2019, 2, 28)


def test_the_column_never_holds_the_plaintext():
    adult = AdultFactory(last_name="Threlkeld-Unique")
    token = raw_column(Adult, adult.pk, "last_name")
    assert "Threlkeld" not in token
    assert token.startswith(f"v1:{adult.family.data_key_id}:")


def test_a_wrong_master_key_raises_instead_of_returning_ciphertext():
    adult = AdultFactory(last_name="Hollis")
    wrong = "dev1:" + base64.urlsafe_b64encode(b"w" * 32).decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=wrong):
        loaded = Adult.objects.select_related("family__data_key").get(pk=adult.pk)
        with pytest.raises(crypto.DecryptionError, match="wrong key"):
            loaded.last_name  # noqa: B018


def test_a_missing_master_key_raises_and_names_it():
    adult = AdultFactory()
    missing = "'dev1' is not in FIELD_ENCRYPTION_KEYS"
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=NEW_RING),
        pytest.raises(crypto.DecryptionError, match=missing),
    ):
        fresh(Adult, adult.pk).last_name  # noqa: B018


def test_a_token_moved_to_another_family_does_not_open():
    mine = AdultFactory(last_name="Mine")
    theirs = AdultFactory(last_name="Theirs")
    token = raw_column(Adult, mine.pk, "last_name")
    Adult.objects.filter(pk=theirs.pk).update(last_name=crypto_sealed(token))
    with pytest.raises(crypto.DecryptionError, match="sealed under data key"):
        fresh(Adult, theirs.pk).last_name  # noqa: B018


def test_a_token_moved_to_another_column_does_not_open():
    adult = AdultFactory(last_name="Surname", first_name="Given")
    token = raw_column(Adult, adult.pk, "last_name")
    Adult.objects.filter(pk=adult.pk).update(first_name=crypto_sealed(token))
    with pytest.raises(crypto.DecryptionError, match="does not open"):
        fresh(Adult, adult.pk).first_name  # noqa: B018


def test_plaintext_found_in_a_column_raises():
    adult = AdultFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE families_adult SET phone = %s WHERE id = %s", ["0700", adult.pk])
    with pytest.raises(crypto.DecryptionError, match="not an encrypted token"):
        fresh(Adult, adult.pk).phone  # noqa: B018


def test_it_refuses_to_write_plaintext_by_a_bulk_path():
    adult = AdultFactory()
    with pytest.raises(TypeError, match="Refusing to store or compare plaintext"):
        Adult.objects.filter(pk=adult.pk).update(phone="07000 000000")
    adult.phone = "07000 000000"
    with pytest.raises(TypeError, match="Refusing"):
        Adult.objects.bulk_update([adult], ["phone"])


def test_it_refuses_to_filter_on_an_encrypted_column():
    with pytest.raises(TypeError, match="blind index"):
        list(Adult.objects.filter(last_name="Smith"))


def test_the_blind_index_finds_an_exact_surname_without_plaintext():
    wanted = AdultFactory(last_name="Okonkwo")
    AdultFactory(last_name="Okonkwo-Smith")
    digest = Adult._meta.get_field("last_name_index").digest("  okonkwo ")
    assert list(Adult.objects.filter(last_name_index=digest)) == [wanted]
    assert "okonkwo" not in raw_column(Adult, wanted.pk, "last_name_index").lower()


def test_the_blind_index_follows_an_edit():
    adult = AdultFactory(last_name="Before")
    adult.last_name = "After"
    adult.save()
    field = Adult._meta.get_field("last_name_index")
    assert Adult.objects.filter(last_name_index=field.digest("After")).exists()
    assert not Adult.objects.filter(last_name_index=field.digest("Before")).exists()


def test_history_rows_are_encrypted_too():
    adult = AdultFactory(address="1 Hidden Lane")
    adult.address = "2 Secret Road"
    adult.save()
    history = list(adult.history.order_by("history_id"))
    assert [h.address for h in history] == ["1 Hidden Lane", "2 Secret Road"]
    for row in history:
        token = raw_column(Adult.history.model, row.history_id, "address")
        assert "Hidden" not in token and "Secret" not in token


def test_rotation_then_retiring_the_old_key_still_decrypts_everything():
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_RING):
        adult = AdultFactory(last_name="Rotated", address="3 Old Key Street")
        adult.address = "4 Old Key Street"
        adult.save()
        volunteer = VolunteerFactory(last_name="Volunteered")
    assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"old"}

    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_RING},{OLD_RING}"):
        assert data_keys_rewrap(batch_size=1) == 2
        assert data_keys_rewrap() == 0  # idempotent

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_RING):  # the old key is gone
        assert fresh(Adult, adult.pk).last_name == "Rotated"
        assert [h.address for h in adult.history.order_by("history_id")] == [
            "3 Old Key Street",
            "4 Old Key Street",
        ]
        assert volunteer.__class__.objects.get(pk=volunteer.pk).last_name == "Volunteered"
        assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"new"}


def test_a_raw_dump_of_every_table_holds_no_plaintext():
    marker = "Zanzibarquux"
    adult = AdultFactory(
        first_name=marker,
        last_name=marker,
        address=f"{marker} House",
        phone="+44 7700 900123",
        email=f"{marker.lower()}@example.org",
    )
    adult.last_name = marker + "Two"
    adult.save()
    VolunteerFactory(first_name=marker, email=f"{marker.lower()}@example.net")
    PoliceVisitFactory(officer_name=f"PC {marker}", officer_number="7700 900123")
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    dump.append(str(value))
    text = "\n".join(dump).lower()
    assert marker.lower() not in text
    assert "7700 900123" not in text


def test_destroying_a_data_key_makes_every_copy_unreadable():
    adult = AdultFactory(last_name="Shredded")
    adult.last_name = "Shredded Again"
    adult.save()
    family_id, key_id = adult.family_id, adult.family.data_key_id
    stolen_token = raw_column(Adult, adult.pk, "last_name")
    stolen_wrapped = bytes(DataKey.objects.get(pk=key_id).wrapped)

    Family.objects.filter(pk=family_id).delete()  # rows (and a purge that missed history)
    data_key_destroy(data_key_id=key_id)

    history = list(Adult.history.filter(family_id=family_id))
    assert len(history) == 3  # created, edited, deleted
    for row in history:
        with pytest.raises(crypto.DecryptionError):
            row.last_name  # noqa: B018
    # The copied token names a key that exists nowhere any more; no other key opens it.
    for other in DataKey.objects.all():
        with pytest.raises(crypto.DecryptionError):
            crypto.open_token(
                stolen_token, key=other.plaintext(), data_key_id=key_id, context="last_name"
            )
    assert not DataKey.objects.filter(pk=key_id).exists()
    assert len(stolen_wrapped) > 32  # only a backup could still hold it, under a master key


def test_a_key_ring_must_be_well_formed():
    from django.core.exceptions import ImproperlyConfigured

    good = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert crypto.parse_key_ring(f"a:{good}, b:{good}").primary_id == "a"
    for bad in ["", "nocolon", "a:!!!", "a:" + base64.urlsafe_b64encode(b"short").decode(),
                f"a:{good},a:{good}"]:  # fmt: skip
        with pytest.raises(ImproperlyConfigured):
            crypto.parse_key_ring(bad)


def crypto_sealed(token: str):
    from cccc.fields import Sealed

    return Sealed(token)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_of_the_database_holds_no_plaintext():
    import shutil
    import subprocess

    marker = "Quimbyfrost"
    AdultFactory(last_name=marker, address=f"{marker} Farm", phone="+44 7700 900456")
    VolunteerFactory(last_name=marker)
    db = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed next to PostgreSQL"
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    dump = subprocess.run(
        [pg_dump, "--data-only", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432),
         "-U", db["USER"] or "postgres", db["NAME"]],
        capture_output=True, text=True, check=True, env=env,
    ).stdout  # fmt: skip
    assert "families_adult" in dump
    assert marker.lower() not in dump.lower()
    assert "900456" not in dump


def test_the_rewrap_command_reports_what_it_moved(capsys):
    from django.core.management import call_command

    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_RING):
        AdultFactory()
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_RING},{OLD_RING}"):
        call_command("rewrap_data_keys")
    out = capsys.readouterr().out
    assert "Re-wrapped 1 data keys under master key 'new'" in out
    assert "Master keys no longer needed by live data: old" in out
    assert "master_key_archive ARCHIVE --add" in out


def test_values_and_values_list_of_an_encrypted_field_refuse_instead_of_returning_the_token():
    from cccc.fields import EncryptedValueSelected

    adult = AdultFactory(last_name="Tokenised")
    queries = [
        Adult.objects.values("last_name"),
        Adult.objects.values(),
        Adult.objects.values_list("last_name", flat=True),
        Adult.objects.values_list("pk", "address"),
        Family.objects.values("adults__last_name"),
        Adult.objects.annotate(surname=models.F("last_name")).values("surname"),
    ]
    for query in queries:
        with pytest.raises(EncryptedValueSelected, match="encrypted field"):
            list(query)
    # Through the model it reads as plaintext; ids and blind indexes select as before.
    assert Adult.objects.get(pk=adult.pk).last_name == "Tokenised"
    assert list(Adult.objects.values_list("pk", flat=True)) == [adult.pk]
    assert Adult.objects.values("last_name_index").get()["last_name_index"]
