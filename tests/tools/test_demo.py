"""Demo data: two centres, one per seed policy, a user of every role; loading is idempotent."""

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from cccc.models import Centre, Membership, PolicyVariant, Role, User
from tools.demo import DEMO_PASSWORD, TWO_CENTRE_REFERRER

pytestmark = pytest.mark.django_db


def test_it_loads_two_centres_with_every_role_and_prints_the_logins(capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert set(Centre.objects.values_list("policy_variant", flat=True)) == {
        PolicyVariant.CHICHESTER,
        PolicyVariant.CHESTERFIELD,
    }
    for centre in Centre.objects.all():
        roles = set(centre.memberships.values_list("role", flat=True))
        assert roles == {Role.COORDINATOR, Role.CHAIR, Role.VOLUNTEER, Role.REFERRER}
    assert Membership.objects.get(role=Role.OPERATOR).centre is None
    for user in User.objects.all():
        assert user.email in out
        assert user.check_password(DEMO_PASSWORD)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() == (
            user.needs_two_factor
        )
    assert DEMO_PASSWORD in out


def test_one_demo_person_refers_to_both_centres_and_is_in_the_login_table(capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    person = User.objects.get(email=TWO_CENTRE_REFERRER)
    memberships = person.memberships.order_by("centre__name")
    assert [(m.centre, m.role, m.is_active) for m in memberships] == [
        (centre, Role.REFERRER, True) for centre in Centre.objects.order_by("name")
    ]
    (line,) = [line for line in out.splitlines() if TWO_CENTRE_REFERRER in line]
    assert line.split()[0] == "referrer"
    for centre in Centre.objects.all():
        assert centre.name in line


def test_loading_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (User, Centre, TOTPDevice, Membership)
    before = [model.objects.count() for model in counts]
    call_command("load_demo")
    assert [model.objects.count() for model in counts] == before


def test_it_refuses_to_load_demo_data_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="development"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_demo_centres_have_families_sessions_and_a_volunteer_on_the_rota(settings):
    from families.models import ContactSession, Family, KeepApart, Room, Series
    from volunteers.models import RotaEntry, VolunteerAvailability

    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    for centre in Centre.objects.all():
        assert Family.objects.filter(centre=centre, status="active").count() == 3
        # Three sessions a family, and a weekly series of four for one of them.
        assert ContactSession.objects.filter(centre=centre).count() == 13
        assert Series.objects.get(centre=centre).sessions.count() == 4
        assert set(Room.objects.filter(centre=centre).values_list("name", "capacity")) == {
            ("Garden room", 1), ("Blue room", 1), ("Hall", 6)
        }  # fmt: skip
        assert KeepApart.objects.filter(centre=centre).count() == 2
        assert RotaEntry.objects.filter(session__centre=centre).exists()
        # The demo volunteer says when they are usually free, once however often it loads.
        assert VolunteerAvailability.objects.filter(volunteer__centre=centre).count() == 2


def test_there_is_no_flag_to_load_demo_data_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(TypeError, match="allow_production"):
        call_command("load_demo", allow_production=True)
    assert not User.objects.exists()
