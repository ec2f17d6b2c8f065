"""The README's key routine (Operations, Key rotation), followed to the letter: a backup taken
before a rotation stays readable while its master key is in the archive, and is unreadable
once the archive lets that key go after the backup period; live records read throughout."""

import base64
import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from cccc import crypto, keys
from cccc.models import DataKey
from families.models import Adult
from tests.factories import AdultFactory
from tests.stored import stored

pytestmark = pytest.mark.django_db

OLD_RING = "old:" + base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_RING = "new:" + base64.urlsafe_b64encode(b"n" * 32).decode()
ROTATED_ON = datetime.date(2027, 5, 1)


def _backup_opens(backup: dict, ring_value: str) -> bool:
    """Open the backup's copy of the surname as a restored database would, with this ring."""
    try:
        plain = crypto.unwrap_data_key(
            backup["master_key_id"], backup["wrapped"], crypto.parse_key_ring(ring_value)
        )
        value = crypto.open_token(
            backup["token"], key=plain, data_key_id=backup["key_id"], context="last_name"
        )
    except crypto.DecryptionError:
        return False
    return value == b"Backedup"


def _ring_with_archive(archive) -> str:
    return ",".join([NEW_RING, *(entry.entry for entry in keys.archive_read(path=archive))])


def _live_reads(adult) -> bool:
    return Adult.objects.get(pk=adult.pk).last_name == "Backedup"


def test_a_pre_rotation_backup_reads_with_the_archive_and_not_once_its_key_is_deleted(
    tmp_path, capsys, settings
):
    settings.BACKUP_RETENTION_DAYS = 30
    archive = tmp_path / "master-key-archive.txt"
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_RING):
        adult = AdultFactory(last_name="Backedup")
        key = DataKey.objects.get(pk=adult.family.data_key_id)
        backup = {  # what a pg_dump taken now holds
            "master_key_id": key.master_key_id,
            "wrapped": bytes(key.wrapped),
            "key_id": key.pk,
            "token": stored(Adult, adult.pk, "last_name"),
        }
        assert _live_reads(adult)

    # 1. a new master key, first in the ring; 2. every data key re-wrapped under it
    with override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_RING},{OLD_RING}"):
        assert _live_reads(adult)
        call_command("rewrap_data_keys")
        # 3. the retired key goes to the archive, then out of the ring
        call_command("master_key_archive", str(archive), "--add", today=ROTATED_ON.isoformat())
    assert "may be removed from FIELD_ENCRYPTION_KEYS: old" in capsys.readouterr().out

    with override_settings(FIELD_ENCRYPTION_KEYS=NEW_RING):
        assert _live_reads(adult)
        assert not _backup_opens(backup, NEW_RING)  # the live ring alone cannot read it
        assert _backup_opens(backup, _ring_with_archive(archive))  # the archive can

        # 4. the archive lets the key go only once the backup period has passed
        day_before = (ROTATED_ON + datetime.timedelta(days=29)).isoformat()
        call_command("master_key_archive", str(archive), "--delete-expired", today=day_before)
        out = capsys.readouterr().out
        assert "old: retired 2027-05-01, keep until 2027-05-31" in out
        assert _backup_opens(backup, _ring_with_archive(archive))

        call_command("master_key_archive", str(archive), today="2027-05-31")
        assert "old: retired 2027-05-01, may now be deleted" in capsys.readouterr().out
        call_command("master_key_archive", str(archive), "--delete-expired", today="2027-05-31")
        assert "Deleted from the archive: old" in capsys.readouterr().out
        assert not _backup_opens(backup, _ring_with_archive(archive))
        assert _live_reads(adult)


def test_it_refuses_to_archive_a_key_that_still_wraps_a_data_key(tmp_path):
    archive = tmp_path / "master-key-archive.txt"
    with override_settings(FIELD_ENCRYPTION_KEYS=OLD_RING):
        AdultFactory()
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"{NEW_RING},{OLD_RING}"),
        pytest.raises(CommandError, match="rewrap_data_keys"),
    ):
        call_command("master_key_archive", str(archive), "--add")
    assert not archive.exists()
