"""The centre's safety settings (issue 20, item 4): floors in the database, read-only for the
operator, changed by the centre's coordinator or chair with an audit entry the chair sees."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cccc.models import CENTRE_SETTINGS, AccessLog, Centre

pytestmark = pytest.mark.django_db

WEAKENED = {
    "keep_apart_gap_minutes": 0,
    "dbs_visible_to": "chair",
    "family_retention_years": 1,
    "volunteer_retention_years": 1,
    "policy_variant": "chesterfield",
}


def settings_form(centre: Centre, **changes) -> dict:
    return {field: getattr(centre, field) for field in CENTRE_SETTINGS} | changes


def settings_url(centre: Centre) -> str:
    return reverse("centre_settings", args=[centre.pk])


def as_stored(centre: Centre) -> dict:
    return {field: getattr(Centre.objects.get(pk=centre.pk), field) for field in CENTRE_SETTINGS}


def setting_entries(centre: Centre) -> list[AccessLog]:
    return list(
        AccessLog.objects.filter(centre=centre, action=AccessLog.Action.CENTRE_SETTINGS).order_by(
            "seq"
        )
    )


@pytest.fixture
def operator(cast):
    cast.operator.is_superuser = True  # as the demo's and a real installation's operator is
    cast.operator.save()
    return cast.operator


# --- the operator's admin ----------------------------------------------------------------------


def test_the_operator_cannot_weaken_a_centres_safety_settings_in_the_admin(cast, login, operator):
    before = as_stored(cast.centre)
    client = login(operator)
    url = f"/admin/cccc/centre/{cast.centre.pk}/change/"
    page = client.get(url).content.decode()
    for field in CENTRE_SETTINGS:
        assert f'name="{field}"' not in page
    response = client.post(
        url,
        {"name": "Home Centre (renamed)", "slug": cast.centre.slug, "code": cast.centre.code,
         "address": "", "email": "", "is_active": "on", **WEAKENED},
    )  # fmt: skip
    assert response.status_code == 302
    assert as_stored(cast.centre) == before
    assert Centre.objects.get(pk=cast.centre.pk).name == "Home Centre (renamed)"


def test_the_operator_cannot_revert_a_centre_to_an_older_version_in_the_admin(
    cast, login, operator
):
    centre = Centre.objects.get(pk=cast.centre.pk)
    centre.keep_apart_gap_minutes = 5
    centre.save()
    weaker = centre.history.order_by("history_id").last()
    centre.keep_apart_gap_minutes = 30
    centre.save()
    response = login(operator).post(
        f"/admin/cccc/centre/{centre.pk}/history/{weaker.history_id}/",
        {"name": centre.name, "slug": centre.slug, "code": centre.code, "is_active": "on"},
    )
    assert response.status_code == 403
    assert Centre.objects.get(pk=centre.pk).keep_apart_gap_minutes == 30


def test_the_operator_still_sets_them_when_creating_a_centre(cast, login, operator):
    response = login(operator).post(
        "/admin/cccc/centre/add/",
        {"name": "Newtown", "slug": "newtown", "code": "NEW", "address": "", "email": "",
         "is_active": "on", "policy_variant": "chesterfield", "keep_apart_gap_minutes": 20,
         "handover_minutes": 10, "rules_version": "1", "family_retention_years": 3,
         "volunteer_retention_years": 3, "dbs_renewal_years": 3, "dbs_visible_to": "chair",
         "dbs_min_level": "enhanced_barred", "supervised_cover": 2, "supported_cover": 1},
    )  # fmt: skip
    assert response.status_code == 302
    centre = Centre.objects.get(slug="newtown")
    assert (centre.keep_apart_gap_minutes, centre.dbs_visible_to) == (20, "chair")


# --- floors in the database --------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value",
    [
        ("keep_apart_gap_minutes", 4),
        ("keep_apart_gap_minutes", 0),
        ("family_retention_years", 2),
        ("volunteer_retention_years", 1),
        ("supervised_cover", 0),
    ],
)
def test_the_database_refuses_a_setting_below_its_floor(cast, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.filter(pk=cast.centre.pk).update(**{field: value})


def test_the_floors_themselves_are_accepted(cast):
    Centre.objects.filter(pk=cast.centre.pk).update(
        keep_apart_gap_minutes=5, family_retention_years=3, volunteer_retention_years=3
    )


# --- the centre's own settings page ------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_the_coordinator_or_chair_changes_them_and_each_change_is_audited(cast, login, role):
    user = getattr(cast, role)
    response = login(user).post(
        settings_url(cast.centre),
        settings_form(cast.centre, keep_apart_gap_minutes=20, family_retention_years=4),
    )
    assert response.status_code == 302
    stored = as_stored(cast.centre)
    assert (stored["keep_apart_gap_minutes"], stored["family_retention_years"]) == (20, 4)
    entries = setting_entries(cast.centre)
    assert [(e.user, e.record_type, e.record_id, e.detail) for e in entries] == [
        (user, "cccc.Centre", cast.centre.pk, "keep_apart_gap_minutes: 15 -> 20"),
        (user, "cccc.Centre", cast.centre.pk, "family_retention_years: 3 -> 4"),
    ]


def test_the_chair_sees_the_changes_made_by_the_coordinator(cast, login):
    login(cast.coordinator).post(
        settings_url(cast.centre), settings_form(cast.centre, family_retention_years=4)
    )
    html = login(cast.chair).get(settings_url(cast.centre)).content.decode()
    assert "Family records kept for (years): 3 → 4" in html
    assert cast.coordinator.full_name in html


def test_the_chair_finds_the_settings_from_the_committee_page(cast, login):
    html = login(cast.chair).get(reverse("committee")).content.decode()
    assert settings_url(cast.centre) in html


def test_saving_without_a_change_writes_no_entry(cast, login):
    login(cast.coordinator).post(settings_url(cast.centre), settings_form(cast.centre))
    assert setting_entries(cast.centre) == []


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("keep_apart_gap_minutes", 0, "at least 5 minutes"),
        ("family_retention_years", 1, "at least 3 years"),
        ("volunteer_retention_years", 2, "at least 3 years"),
    ],
)
def test_the_form_explains_a_floor_and_changes_nothing(cast, login, field, value, message):
    before = as_stored(cast.centre)
    response = login(cast.coordinator).post(
        settings_url(cast.centre), settings_form(cast.centre, **{field: value})
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert as_stored(cast.centre) == before and setting_entries(cast.centre) == []


@pytest.mark.parametrize(
    "who", ["other_coordinator", "other_chair", "volunteer", "referrer", "operator"]
)
def test_nobody_else_reaches_the_settings(cast, login, who):
    before = as_stored(cast.centre)
    client = login(getattr(cast, who))
    assert client.get(settings_url(cast.centre)).status_code == 404
    response = client.post(settings_url(cast.centre), settings_form(cast.centre, **WEAKENED))
    assert response.status_code == 404
    assert as_stored(cast.centre) == before and setting_entries(cast.centre) == []


def test_the_service_refuses_anyone_but_the_centres_coordinator_or_chair(cast):
    from django.core.exceptions import PermissionDenied

    from cccc.centre_services import centre_settings_change

    for user in (cast.other_coordinator, cast.volunteer, cast.operator):
        with pytest.raises(PermissionDenied):
            centre_settings_change(
                centre=cast.centre, by=user, changes={"keep_apart_gap_minutes": 30}
            )
    assert as_stored(cast.centre)["keep_apart_gap_minutes"] == 15
