"""The destruction register is append-only, and what belongs to a family or a volunteer is
found from the models themselves, so a model added later is destroyed with its record."""

import pytest
from django.db import DatabaseError, connection, transaction

from disclosures.models import (
    ConsentGrant,
    DisclosureRequest,
    PoliceVisit,
    SubjectAccessRequest,
    WitnessSummons,
)
from families.models import (
    Adult,
    Child,
    ChildAttendance,
    Concern,
    ContactSession,
    Family,
    KeepApart,
    NameToken,
    Referral,
    RulesAcknowledgement,
    SessionAttendance,
    SessionNote,
)
from retention.models import DestructionRecord, KeepLonger
from retention.plan import ownership
from tests.factories import DestructionRecordFactory
from volunteers.models import DbsCheck, DbsReminder, RotaEntry, TrainingRecord, Volunteer

pytestmark = pytest.mark.django_db


def test_a_register_entry_is_never_changed_or_deleted(cast):
    entry = DestructionRecordFactory(centre=cast.centre)
    entry.reference = "CHANGED"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        DestructionRecord.objects.filter(pk=entry.pk).update(reference="CHANGED")
    with pytest.raises(PermissionError):
        DestructionRecord.objects.all().delete()
    assert DestructionRecord.objects.get(pk=entry.pk).reference != "CHANGED"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE retention_destructionrecord SET reference = 'X' WHERE id = %s",
        "DELETE FROM retention_destructionrecord WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_the_register_on_postgresql(cast, sql):
    entry = DestructionRecordFactory(centre=cast.centre)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])


def test_a_family_owns_every_family_record_and_their_history():
    plan = ownership(Family)
    models = set(plan.models())
    assert models >= {
        Family, Adult, Child, Referral, ContactSession, SessionAttendance, ChildAttendance,
        SessionNote, Concern, KeepApart, RulesAcknowledgement, RotaEntry, ConsentGrant,
        DisclosureRequest, KeepLonger, WitnessSummons, PoliceVisit, SubjectAccessRequest,
        NameToken,
    }  # fmt: skip
    assert Volunteer not in models and DbsCheck not in models
    # Every record keeps its history, but the names' search hashes: derived, rewritten whole.
    assert all(node.history is not None for node in plan.nodes if node.model is not NameToken)
    keep_apart = next(node for node in plan.nodes if node.model is KeepApart)
    assert {link.field_name for link in keep_apart.links} == {"adult_a", "adult_b"}


def test_parents_come_before_the_rows_that_point_at_them():
    order = [node.model for node in ownership(Family).nodes]
    assert order.index(ContactSession) < order.index(SessionAttendance)
    assert order.index(Adult) < order.index(SessionAttendance)
    assert order.index(ConsentGrant) < order.index(DisclosureRequest)  # RESTRICT


def test_a_volunteer_owns_their_checks_reminders_training_and_rota():
    models = set(ownership(Volunteer).models())
    assert models >= {Volunteer, DbsCheck, DbsReminder, TrainingRecord, RotaEntry, KeepLonger}
    assert SubjectAccessRequest in models  # a volunteer's own request goes with them
    assert WitnessSummons not in models  # a summons served on them stays (SET_NULL)
    assert Family not in models
