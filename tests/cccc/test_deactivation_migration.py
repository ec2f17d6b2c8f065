"""cccc 0022: an account deactivated before memberships was switched off as a person; its
membership becomes the deactivated one and the person active again, so that the centre can
reactivate it (a membership event). Nobody signs in who could not; an account erased by
retention stays switched off as a person."""

import pytest

from tests.migrating import migrate, migrate_to_latest

BEFORE = [("cccc", "0022_memberships")]
AFTER = [("cccc", "0023_deactivations_per_membership")]


@pytest.mark.django_db(transaction=True)
def test_a_person_deactivated_before_memberships_becomes_a_deactivated_membership():
    old = migrate(BEFORE)
    try:
        Centre, User = old.get_model("cccc", "Centre"), old.get_model("cccc", "User")
        Membership = old.get_model("cccc", "Membership")
        centre = Centre.objects.create(name="Aaa", slug="aaa", code="AAA")

        def person(email, *, active, role="volunteer"):
            user = User.objects.create(email=email, password="x", is_active=active)
            Membership.objects.create(user=user, centre=centre, role=role)
            return user

        gone = person("gone@aaa.example", active=False)
        erased = person("destroyed-account-9@invalid.example", active=False, role="referrer")
        working = person("here@aaa.example", active=True)
        new = migrate(AFTER)
        NewUser, NewMembership = new.get_model("cccc", "User"), new.get_model("cccc", "Membership")

        def state(user):
            membership = NewMembership.objects.get(user_id=user.pk)
            return NewUser.objects.get(pk=user.pk).is_active, membership.is_active

        assert state(gone) == (True, False)
        assert state(erased) == (False, True)
        assert state(working) == (True, True)
        # and back: the person is switched off again
        back = migrate(BEFORE)
        assert not back.get_model("cccc", "User").objects.get(pk=gone.pk).is_active
    finally:
        migrate_to_latest()
