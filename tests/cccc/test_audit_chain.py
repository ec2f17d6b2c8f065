"""The tamper-evident audit trail: keyed hash chain, append-only, verification names the
first altered, missing or inserted entry."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from cccc.audit import GENESIS, verify_chain
from cccc.models import AccessLog
from tests.factories import AccessLogFactory, AdultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(cast):
    adult = AdultFactory(family__centre=cast.centre)
    return [AccessLogFactory(user=cast.coordinator, record=adult) for _ in range(5)]


def raw(sql: str, params=()):
    """Tamper as someone with database access would, below the application."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cccc_accesslog DISABLE TRIGGER cccc_accesslog_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cccc_accesslog ENABLE TRIGGER cccc_accesslog_append_only")


def test_an_intact_chain_verifies(chain, capsys):
    report = verify_chain()
    assert (report.ok, report.checked) == (True, 5)
    call_command("verify_audit_chain")
    assert "Audit chain intact: 5 entries" in capsys.readouterr().out


def test_each_entry_links_to_the_one_before(chain):
    assert chain[0].prev_hash == GENESIS
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.entry_hash


def test_it_finds_an_edited_entry(chain):
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 3")
    assert verify_chain().problem == "entry #3 has been altered"
    with pytest.raises(CommandError, match="entry #3 has been altered"):
        call_command("verify_audit_chain")


def test_it_finds_a_deleted_entry(chain):
    raw("DELETE FROM cccc_accesslog WHERE seq = 2")
    assert verify_chain().problem == "entry #2 is missing (deleted)"


def test_it_finds_deleted_entries_at_the_end(chain):
    raw("DELETE FROM cccc_accesslog WHERE seq >= 4")
    assert verify_chain().problem == "entries #4 to #5 are missing (deleted)"


def test_it_finds_an_inserted_entry(chain):
    last = chain[-1]
    raw(
        "INSERT INTO cccc_accesslog (seq, at, user_id, centre_id, action, record_type, "
        "record_id, detail, prev_hash, entry_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [6, last.at, last.user_id, last.centre_id, "reveal_contact", "families.Adult",
         last.record_id, "address", last.entry_hash, "f" * 64],
    )  # fmt: skip
    assert verify_chain().problem == "entry #6 has been altered"


def test_it_finds_an_entry_slipped_in_with_a_renumbered_tail(chain):
    raw("UPDATE cccc_accesslog SET prev_hash = %s WHERE seq = 4", ["a" * 64])
    assert verify_chain().problem == "entry #4 does not follow #3: inserted or re-linked"


def test_the_application_cannot_change_or_delete_an_entry(chain):
    entry = chain[0]
    entry.detail = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=entry.pk).update(detail="changed")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    assert verify_chain().ok


@pytest.mark.postgres
def test_the_database_refuses_updates_and_deletes_too(chain):
    from django.db import DatabaseError

    for sql in ["UPDATE cccc_accesslog SET detail = 'x'", "DELETE FROM cccc_accesslog"]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert verify_chain().ok


def test_entries_hold_no_personal_values(cast):
    adult = AdultFactory(family__centre=cast.centre, last_name="Vexillary", phone="07700 900999")
    AccessLogFactory(user=cast.coordinator, record=adult)
    row = " ".join(str(v) for v in AccessLog.objects.values_list().get())
    assert "Vexillary" not in row and "900999" not in row


def test_it_finds_entries_cut_off_the_end_with_the_head_moved_back(chain):
    """Deleting the last entries and pointing the head at the new last one: both values are
    in the database already, but the head's keyed hash cannot be made without the key."""
    raw("DELETE FROM cccc_accesslog WHERE seq >= 4")
    raw("UPDATE cccc_audithead SET seq = 3, entry_hash = %s", [chain[2].entry_hash])
    assert verify_chain().problem == "the chain's head was rewritten (entries cut off the end?)"


def test_the_command_prints_the_head_and_fails_below_a_count_seen_before(chain, capsys):
    call_command("verify_audit_chain", at_least=5)
    assert f"Head: entry #5, {chain[-1].entry_hash}" in capsys.readouterr().out
    raw("DELETE FROM cccc_accesslog")
    raw("DELETE FROM cccc_audithead")
    with pytest.raises(CommandError, match="only 0 entries, 5 were seen before"):
        call_command("verify_audit_chain", at_least=5)
