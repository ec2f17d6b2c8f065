"""The NACCC specimen as a policy variant (issue 19, point 2): the default for new centres,
its document available like the other variants', and the centres that had a variant keep it."""

import importlib
from pathlib import Path

import pytest
from django.db import migrations
from django.urls import reverse
from django.utils import timezone

from cccc.dates import add_months
from cccc.models import Centre, PolicyDocument, PolicyVariant
from cccc.policy_texts import NACCC_SPECIMEN
from tests.cccc.test_accounts import centre_form
from tests.factories import CentreFactory, UserFactory
from tools.demo_policies import TEXTS

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(__file__).resolve().parents[2] / "cccc" / "migrations"


def test_a_new_centre_follows_the_naccc_specimen_unless_told_otherwise():
    centre = Centre(name="Newtown", slug="newtown", code="NEW")
    assert centre.policy_variant == PolicyVariant.NACCC == "naccc"


def test_the_operators_form_starts_on_the_naccc_specimen(cast, login):
    response = login(cast.operator).get(reverse("centre_create"))
    assert response.context["form"]["policy_variant"].value() == "naccc"
    assert '<option value="naccc" selected>' in response.content.decode()


def test_the_operator_can_still_choose_another_variant(cast, login):
    login(cast.operator).post(reverse("centre_create"), centre_form(policy_variant="chichester"))
    assert Centre.objects.get(slug="newtown").policy_variant == "chichester"


def test_the_migration_changes_the_default_only_so_existing_centres_keep_theirs():
    (path,) = MIGRATIONS.glob("*_centre_policy_naccc_default.py")
    migration = importlib.import_module(f"cccc.migrations.{path.stem}").Migration
    assert {type(op) for op in migration.operations} == {migrations.AlterField}
    assert all(op.name == "policy_variant" for op in migration.operations)


def test_a_new_naccc_centre_starts_its_first_version_from_the_specimen(login):
    centre = CentreFactory(policy_variant=PolicyVariant.NACCC)
    chair = UserFactory(role="chair", centre=centre)
    client = login(chair)
    response = client.get(reverse("policy_versions"))
    assert response.context["form"]["text"].value() == NACCC_SPECIMEN
    assert "NACCC specimen policy, which this centre follows" in response.content.decode()
    today = timezone.localdate()
    client.post(
        reverse("policy_versions"),
        {"version": "1", "title": "Confidentiality policy", "adopted_on": today.isoformat(),
         "text": NACCC_SPECIMEN},
    )  # fmt: skip
    document = PolicyDocument.objects.get(centre=centre)
    public = client.get(reverse("policy_public", args=[centre.slug])).content.decode()
    assert "(NAC-3) Referring agencies may ask for the dates and times" in public
    assert document.next_review_due == add_months(today, 12)
    # Once a version is adopted, the next one starts empty, as for every centre.
    assert not client.get(reverse("policy_versions")).context["form"]["text"].value()


def test_a_centre_on_another_variant_is_not_offered_the_specimen(cast, login):
    response = login(cast.coordinator).get(reverse("policy_versions"))
    assert not response.context["form"]["text"].value()
    assert "NACCC specimen" not in response.content.decode()


def test_the_demo_adopts_the_specimen_for_a_centre_on_the_naccc_variant():
    assert TEXTS["naccc"] is NACCC_SPECIMEN


def test_the_specimen_follows_the_seed_clause_by_clause():
    clauses = [
        *[f"(NAC-{n})" for n in range(1, 12)], "NAC-WS", "NAC-PO",
        *[f"NAC-DP{n}" for n in range(1, 9)], "NAC-SAR",
    ]  # fmt: skip
    positions = [NACCC_SPECIMEN.index(clause) for clause in clauses]
    assert positions == sorted(positions)  # every clause, in the seed's order


def test_the_specimen_leaves_out_chesterfields_addition():
    assert "camera" not in NACCC_SPECIMEN.lower()  # CHE-1: Chesterfield's own
    assert "camera" in TEXTS["chesterfield"].lower()
