"""The access log page checks only the entries since the last intact check (issue 19, point
5): its cost does not grow with the trail. A break after the checkpoint is still found, a
checkpoint moved on without the key is ignored, and the nightly command still reads the whole
chain."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cccc.audit import record_checkpoint, verify_chain
from cccc.models import AccessLog, AuditCheckpoint
from tests.factories import AccessLogFactory, AdultFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def adult(cast):
    return AdultFactory(family__centre=cast.centre)


def entries(cast, adult, n):
    return [AccessLogFactory(user=cast.coordinator, record=adult) for _ in range(n)]


def raw(sql: str, params=()):
    """Tamper as someone with database access would, below the application."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cccc_accesslog DISABLE TRIGGER cccc_accesslog_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE cccc_accesslog ENABLE TRIGGER cccc_accesslog_append_only")


def test_after_an_intact_check_only_the_new_entries_are_read(cast, adult):
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    entries(cast, adult, 2)
    report = verify_chain(since_checkpoint=True)
    assert (report.ok, report.checked, report.walked_from) == (True, 7, 6)


def test_a_broken_link_after_the_checkpoint_is_found(cast, adult):
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    entries(cast, adult, 3)
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 7")
    assert verify_chain(since_checkpoint=True).problem == "entry #7 has been altered"
    raw("UPDATE cccc_accesslog SET prev_hash = %s WHERE seq = 6", ["a" * 64])
    assert verify_chain(since_checkpoint=True).problem == (
        "entry #6 does not follow #5: inserted or re-linked"
    )


def test_a_deleted_entry_right_after_the_checkpoint_is_found(cast, adult):
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    entries(cast, adult, 2)
    raw("DELETE FROM cccc_accesslog WHERE seq = 6")
    assert verify_chain(since_checkpoint=True).problem == "entry #6 is missing (deleted)"


def test_entries_cut_off_the_end_after_the_checkpoint_are_found(cast, adult):
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    entries(cast, adult, 3)
    raw("DELETE FROM cccc_accesslog WHERE seq >= 7")
    assert verify_chain(since_checkpoint=True).problem == "entries #7 to #8 are missing (deleted)"


def test_a_broken_check_moves_no_checkpoint(cast, adult):
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    entries(cast, adult, 2)
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 6")
    record_checkpoint(verify_chain(since_checkpoint=True))
    assert AuditCheckpoint.objects.get().seq == 5


def test_a_checkpoint_moved_on_without_the_key_is_ignored(cast, adult):
    """Someone who alters entry #3 and moves the checkpoint past it cannot make the page
    skip it: the checkpoint's MAC does not verify, so the whole chain is read."""
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 3")
    last = AccessLog.objects.get(seq=5)
    AuditCheckpoint.objects.filter(pk=1).update(seq=5, entry_hash=last.entry_hash)  # no MAC
    AuditCheckpoint.objects.filter(pk=1).update(seq=4)
    report = verify_chain(since_checkpoint=True)
    assert (report.problem, report.walked_from) == ("entry #3 has been altered", 1)


def test_the_nightly_command_reads_the_whole_chain_whatever_the_checkpoint(cast, adult):
    entries(cast, adult, 5)
    record_checkpoint(verify_chain())
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 2")
    assert verify_chain(since_checkpoint=True).ok  # the page trusts its last check
    with pytest.raises(CommandError, match="entry #2 has been altered"):
        call_command("verify_audit_chain")


def test_the_command_records_its_intact_check(cast, adult):
    entries(cast, adult, 4)
    call_command("verify_audit_chain")
    assert AuditCheckpoint.objects.get().seq == 4


def test_the_page_checks_from_its_last_check_and_shows_a_break_after_it(cast, adult, login):
    entries(cast, adult, 5)
    client = login(cast.coordinator)
    html = client.get(reverse("audit_trail")).content.decode()
    assert "The audit chain is intact: 6 entries checked" in html  # its own entry is the 6th
    assert AuditCheckpoint.objects.get().seq == 6
    html = client.get(reverse("audit_trail")).content.decode()
    assert "7 entries checked (entries from #7 now" in html
    entries(cast, adult, 2)
    raw("UPDATE cccc_accesslog SET record_id = record_id + 1 WHERE seq = 9")
    html = client.get(reverse("audit_trail")).content.decode()
    assert "The audit chain is broken after 8 good entries: entry #9 has been altered" in html
