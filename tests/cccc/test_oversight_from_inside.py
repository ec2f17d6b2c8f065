"""Ways round the oversight that a review found after issue 14 landed: a coordinator
appointing a friendly second chair, the operator clearing a centre's overseers to put in an
account of their own, and a coordinator alone weakening the settings the chair oversees."""

import pytest
from django.core import mail
from django.urls import reverse

from cccc.models import CENTRE_SETTINGS, Centre, Role, User
from tests.factories import UserFactory, membership_of

ms = membership_of

pytestmark = pytest.mark.django_db


def test_a_chair_invited_by_a_coordinator_waits_for_the_centres_chair(
    cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(
            reverse("people"),
            {"full_name": "Friendly Chair", "email": "friend@chair.example", "role": "chair"},
        )
    friend = ms(User.objects.get(email="friend@chair.example"))
    assert (friend.is_active, friend.awaiting_approval) == (False, True)
    assert cast.chair.email in {address for m in mail.outbox for address in m.to}


def test_a_volunteer_made_chair_by_a_coordinator_waits_for_the_centres_chair(cast, login):
    login(cast.coordinator).post(
        reverse("account_role_change", args=[ms(cast.volunteer).pk]), {"role": Role.CHAIR}
    )
    membership = ms(cast.volunteer)
    assert membership.role == Role.CHAIR
    assert (membership.is_active, membership.awaiting_approval) == (False, True)
    # and the coordinator cannot approve it round the chair
    login(cast.coordinator).post(reverse("account_approve", args=[membership.pk]))
    assert not ms(cast.volunteer).is_active


def test_a_centre_whose_overseers_were_all_deactivated_is_not_new(
    cast, login, django_capture_on_commit_callbacks
):
    operator = login(cast.operator)
    for person in (cast.chair, cast.coordinator):
        operator.post(reverse("account_deactivate", args=[ms(person).pk]))
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(
            reverse("coordinator_invite", args=[cast.centre.pk]),
            {"full_name": "Operator Friend", "email": "mine@operator.example"},
        )
    mine = ms(User.objects.get(email="mine@operator.example"))
    assert (mine.is_active, mine.awaiting_approval) == (False, True)


def test_the_person_the_operator_deactivates_is_told_too(
    cast, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.operator).post(reverse("account_deactivate", args=[ms(cast.chair).pk]))
    assert cast.chair.email in {address for m in mail.outbox for address in m.to}


@pytest.mark.parametrize(
    ("field", "value"),
    [("policy_variant", "chichester"), ("dbs_visible_to", "coordinator"),
     ("dbs_min_level", "basic")],
)  # fmt: skip
def test_a_coordinator_cannot_change_what_the_chair_oversees(cast, login, field, value):
    centre = Centre.objects.get(pk=cast.centre.pk)
    if getattr(centre, field) == value:  # the other variant, whichever the centre runs
        value = "chesterfield"
    form = {f: getattr(centre, f) for f in CENTRE_SETTINGS} | {field: value}
    before = getattr(centre, field)
    response = login(cast.coordinator).post(reverse("centre_settings", args=[centre.pk]), form)
    assert response.status_code == 200
    assert "chair" in response.content.decode()
    assert getattr(Centre.objects.get(pk=centre.pk), field) == before


def test_the_chair_changes_what_the_chair_oversees(cast, login):
    centre = Centre.objects.get(pk=cast.centre.pk)
    form = {f: getattr(centre, f) for f in CENTRE_SETTINGS} | {"dbs_visible_to": "chair"}
    response = login(cast.chair).post(reverse("centre_settings", args=[centre.pk]), form)
    assert response.status_code == 302
    assert Centre.objects.get(pk=centre.pk).dbs_visible_to == "chair"


def test_without_a_chair_the_coordinator_appoints_one_at_once_and_the_centre_is_told(
    cast, login, django_capture_on_commit_callbacks
):
    cast.chair.is_active = False
    cast.chair.save()
    second = UserFactory(role=Role.COORDINATOR, centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        login(cast.coordinator).post(
            reverse("people"),
            {"full_name": "New Chair", "email": "new@chair.example", "role": "chair"},
        )
    new = User.objects.get(email="new@chair.example")
    assert new.is_active
    assert second.email in {address for m in mail.outbox for address in m.to}
