"""Concerns about a family: raised and closed by the coordinator."""

import pytest
from django.urls import reverse

from families.models import Concern
from tests.factories import ConcernFactory
from tests.families.form_cases import aged, moved

pytestmark = pytest.mark.django_db


# --- concerns -----------------------------------------------------------------------------------


def test_a_coordinator_raises_a_concern(cast, login, family):
    aged(family)
    response = login(cast.coordinator).post(
        reverse("concern_add", args=[family.pk]),
        {"kind": "safeguarding", "text": "Child arrived with a bruise."},
    )
    assert response.url == reverse("family_detail", args=[family.pk])
    concern = Concern.objects.get()
    assert (concern.family, concern.kind, concern.text, concern.raised_by) == (
        family, "safeguarding", "Child arrived with a bruise.", cast.coordinator,
    )  # fmt: skip
    assert moved(family)


def test_a_concern_needs_its_text(cast, login, family):
    response = login(cast.coordinator).post(
        reverse("concern_add", args=[family.pk]), {"kind": "violence", "text": "   "}
    )
    assert "This field is required." in response.content.decode()
    assert 'value="violence" selected' in response.content.decode()
    assert not Concern.objects.exists()


def test_a_coordinator_closes_a_concern_with_its_outcome(cast, login, family):
    concern = ConcernFactory(family=family)
    aged(family)
    response = login(cast.coordinator).post(
        reverse("concern_close", args=[concern.pk]), {"outcome": "Spoke to both parents."}
    )
    assert response.url == reverse("family_detail", args=[family.pk])
    concern.refresh_from_db()
    assert (concern.status, concern.outcome, concern.closed_by) == (
        "closed", "Spoke to both parents.", cast.coordinator,
    )  # fmt: skip
    assert moved(family)


def test_closing_a_concern_needs_the_outcome(cast, login, family):
    concern = ConcernFactory(family=family)
    response = login(cast.coordinator).post(
        reverse("concern_close", args=[concern.pk]), {"outcome": ""}
    )
    assert "Record what was done." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "open"
