"""DBS results are seen by the coordinator and/or the chair as the centre decides (CHE-8),
by nobody else, and every view of an outcome is in the access log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cccc.models import AccessLog, DbsVisibility
from tests.factories import AppointedVolunteerFactory, DbsCheckFactory

pytestmark = pytest.mark.django_db

CERTIFICATE = "009876543210"


@pytest.fixture
def checked(cast):
    volunteer = AppointedVolunteerFactory(
        centre=cast.centre, dbs_check=False, last_name="Zyxwardenby"
    )
    check = DbsCheckFactory(
        volunteer=volunteer, certificate_number=CERTIFICATE, renewal_due=volunteer.clearance_expires
    )
    return volunteer, check


def set_visibility(centre, value):
    centre.dbs_visible_to = value
    centre.save()


@pytest.mark.parametrize(
    ("setting", "allowed", "refused"),
    [
        (DbsVisibility.COORDINATOR, ["coordinator"], ["chair"]),
        (DbsVisibility.CHAIR, ["chair"], ["coordinator"]),
        (DbsVisibility.BOTH, ["coordinator", "chair"], []),
    ],
)
def test_outcomes_are_seen_only_by_the_roles_the_centre_names(
    cast, login, checked, setting, allowed, refused
):
    volunteer, check = checked
    set_visibility(cast.centre, setting)
    for role in allowed:
        response = login(getattr(cast, role)).get(reverse("volunteer_dbs", args=[volunteer.pk]))
        assert response.status_code == 200, role
        assert CERTIFICATE in response.content.decode()
        assert "Clear: nothing disclosed" in response.content.decode()
        assert login(getattr(cast, role)).get(reverse("dbs_list")).status_code == 200
    for role in refused:
        client = login(getattr(cast, role))
        for name in ["volunteer_dbs", "dbs_check_add"]:
            assert client.get(reverse(name, args=[volunteer.pk])).status_code == 404, (role, name)
        assert client.get(reverse("dbs_list")).status_code == 404, role


def test_each_view_of_an_outcome_is_logged(cast, login, checked):
    volunteer, check = checked
    client = login(cast.chair)
    client.get(reverse("volunteer_dbs", args=[volunteer.pk]))
    client.get(reverse("volunteer_dbs", args=[volunteer.pk]))
    logs = AccessLog.objects.filter(action=AccessLog.Action.VIEW_DBS)
    assert logs.count() == 2
    log = logs.first()
    assert (log.user, log.centre, log.record_type, log.record_id) == (
        cast.chair,
        cast.centre,
        "volunteers.DbsCheck",
        check.pk,
    )
    assert CERTIFICATE not in log.detail


def test_the_results_page_reads_as_much_for_five_checks_as_for_one(cast, login, checked):
    """Beyond the one access-log entry each outcome shown must write (its savepoint, chain
    head and insert), the page costs the same: no volunteer or data key reloaded per check."""
    volunteer, _check = checked
    client = login(cast.coordinator)
    url = reverse("volunteer_dbs", args=[volunteer.pk])
    client.get(url)  # the session and the user, settled

    def reads() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        audit = ("SAVEPOINT", "cccc_audithead", "cccc_accesslog")
        return [q["sql"] for q in queries.captured_queries if not any(a in q["sql"] for a in audit)]

    one = reads()
    for _ in range(4):
        DbsCheckFactory(volunteer=volunteer)
    assert len(reads()) == len(one)
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_DBS).count() == 1 + 1 + 5


def test_the_list_shows_no_outcome_and_logs_nothing(cast, login, checked):
    html = login(cast.coordinator).get(reverse("dbs_list")).content.decode()
    assert checked[0].last_name in html
    assert CERTIFICATE not in html and "nothing disclosed" not in html
    assert not AccessLog.objects.exists()


def test_the_coordinators_volunteer_page_shows_no_outcome(cast, login, checked):
    volunteer, _check = checked
    html = login(cast.coordinator).get(reverse("volunteer_detail", args=[volunteer.pk])).content
    assert CERTIFICATE not in html.decode() and "nothing disclosed" not in html.decode()


def test_the_chair_records_a_check_where_the_chair_alone_sees_results(cast, login, checked):
    volunteer, _check = checked
    set_visibility(cast.centre, DbsVisibility.CHAIR)
    response = login(cast.chair).post(
        reverse("dbs_check_add", args=[volunteer.pk]),
        {
            "level": "enhanced",
            "certificate_number": "001112223334",
            "outcome": "clear",
            "issued_on": "2026-01-10",
        },
    )
    assert response.status_code == 302
    assert volunteer.dbs_checks.count() == 2


def test_the_committee_page_links_the_chair_to_the_dbs_results(cast, login):
    set_visibility(cast.centre, DbsVisibility.BOTH)
    assert reverse("dbs_list") in login(cast.chair).get(reverse("committee")).content.decode()
    set_visibility(cast.centre, DbsVisibility.COORDINATOR)
    assert reverse("dbs_list") not in login(cast.chair).get(reverse("committee")).content.decode()


@pytest.mark.parametrize("name", ["volunteer_dbs", "dbs_check_add"])
@pytest.mark.parametrize(
    "role", ["other_coordinator", "other_chair", "volunteer", "referrer", "operator"]
)
def test_nobody_else_reaches_a_dbs_result(cast, login, checked, name, role):
    volunteer, _check = checked
    set_visibility(cast.centre, DbsVisibility.BOTH)
    set_visibility(cast.other_centre, DbsVisibility.BOTH)
    client = login(getattr(cast, role))
    assert client.get(reverse(name, args=[volunteer.pk])).status_code == 404
    assert client.post(reverse(name, args=[volunteer.pk])).status_code in (404, 405)
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("role", ["volunteer", "referrer", "operator"])
def test_the_dbs_list_is_a_404_for_other_roles(cast, login, role):
    assert login(getattr(cast, role)).get(reverse("dbs_list")).status_code == 404


def test_the_other_centres_list_shows_only_its_own_volunteers(cast, login, checked):
    html = login(cast.other_coordinator).get(reverse("dbs_list")).content.decode()
    assert checked[0].last_name not in html


@pytest.mark.parametrize("name", ["dbs_list", "volunteer_dbs", "dbs_check_add"])
def test_anonymous_visitors_are_sent_to_sign_in(client, checked, name):
    args = [] if name == "dbs_list" else [checked[0].pk]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
