"""History rows on personal records; the access log records who looked, never the values."""

import pytest

from cccc.audit import access_log_record
from cccc.models import AccessLog
from tests.factories import AccessLogFactory, AdultFactory

pytestmark = pytest.mark.django_db


def test_it_records_who_viewed_which_record_and_when(cast):
    adult = AdultFactory(family__centre=cast.centre, address="9 Marker Mews")
    entry = access_log_record(
        user=cast.coordinator, action=AccessLog.Action.REVEAL_CONTACT, record=adult,
        detail="address", centre=cast.centre,
    )  # fmt: skip
    assert (entry.user, entry.centre, entry.record_type, entry.record_id) == (
        cast.coordinator, cast.centre, "families.Adult", adult.pk,
    )  # fmt: skip
    values = " ".join(str(v) for v in AccessLog.objects.values_list().get(pk=entry.pk))
    assert "Marker" not in values


def test_every_model_holding_personal_data_keeps_history():
    from django.apps import apps

    from cccc.fields import EncryptedField

    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        if any(isinstance(f, EncryptedField) for f in model._meta.fields):
            assert hasattr(model, "history"), f"{model._meta.label} has no history"


def test_the_access_log_factory_appends_through_the_chain(cast):
    first = AccessLogFactory(user=cast.coordinator, record__family__centre=cast.centre)
    second = AccessLogFactory(user=cast.coordinator, record__family__centre=cast.centre)
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.entry_hash
