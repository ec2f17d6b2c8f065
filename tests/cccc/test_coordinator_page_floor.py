"""What every coordinator page pays beyond the signed-in floor (the base template's navigation
and the "no active chair" warning), and the dashboard's policy review warning: each read as
little as it needs, and the warning still told exactly when it is true."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cccc.models import Membership, PolicyDocument, Role
from cccc.policies import policy_adopt

pytestmark = pytest.mark.django_db

WARNING = "has no active chair"


def _chair_checks(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "cccc_membership" in q["sql"] and '"role" = ' in q["sql"]
    ]


def test_the_chair_check_is_one_query_reading_no_column(cast, login):
    client = login(cast.coordinator)
    client.get(reverse("family_list"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("family_list")).content.decode()
    assert WARNING not in html
    (check,) = _chair_checks(queries)
    assert check.startswith("SELECT 1 FROM ")  # a fixed statement, no ORM building


def test_a_chair_whose_membership_ended_leaves_the_centre_without_one(cast, login):
    client = login(cast.coordinator)
    assert WARNING not in client.get(reverse("family_list")).content.decode()
    Membership.objects.filter(user=cast.chair, role=Role.CHAIR).update(is_active=False)
    assert WARNING in client.get(reverse("family_list")).content.decode()
    # Another centre's chair does not oversee this one.
    assert WARNING not in login(cast.other_coordinator).get(reverse("people")).content.decode()


def test_other_roles_are_never_warned(cast, login):
    Membership.objects.filter(user=cast.chair, role=Role.CHAIR).update(is_active=False)
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert WARNING not in html


def test_the_dashboard_reads_no_policy_text(cast, login):
    today = timezone.localdate()
    policy_adopt(
        centre=cast.centre,
        version="1",
        text="A long policy " * 50,
        adopted_on=today - datetime.timedelta(days=360),
        by=cast.coordinator,
    )
    client = login(cast.coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("dashboard")).content.decode()
    assert "annual policy review is due in" in html
    reads = [q["sql"] for q in queries.captured_queries if "cccc_policydocument" in q["sql"]]
    assert reads and not any('"text"' in sql for sql in reads)
    assert PolicyDocument.objects.filter(centre=cast.centre).count() == 1


def test_the_dashboard_lists_open_concerns_without_reading_their_sealed_text(cast, login):
    from tests.factories import ConcernFactory

    concern = ConcernFactory(family__centre=cast.centre)
    client = login(cast.coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("dashboard")).content.decode()
    assert concern.family.reference in html
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "families_concern"' in q["sql"]]
    assert reads and not any('"families_concern"."text"' in sql for sql in reads)
    assert not any('"families_concern"."outcome"' in sql for sql in reads)
