"""Outsider tests for every disclosure view: anonymous → sign-in; every other role, and the
same role in the other centre, → 404 and nothing changed; a referrer asking about a family
they did not refer → 404."""

import re

import pytest
from django.urls import reverse

from cccc.models import AccessLog, Role
from disclosures import break_glass_services, request_services
from disclosures.models import ConsentGrant, DisclosureRequest
from tests.disclosures.conftest import days_ago
from tests.factories import ConsentGrantFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, family, mum, referral):
    refused = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="agency", requester_name="A",
        received_via="letter", category="family_info",
    )  # fmt: skip
    request_services.request_decide(request=refused, by=cast.coordinator, permitted=False)
    waiting = request_services.request_receive(
        family=family, by=cast.coordinator, requester_type="agency", requester_name="B",
        received_via="phone", category="family_info",
    )  # fmt: skip
    glass = break_glass_services.break_glass_release(
        family=family, by=cast.coordinator, exception="child_at_risk", recipient="police",
        reason="A reason", released="Dates",
    )  # fmt: skip
    grant = ConsentGrantFactory(adult=mum)
    return {
        "family": family, "adult": mum, "refused": refused, "open": waiting, "glass": glass,
        "grant": grant,
    }  # fmt: skip


ATTENDANCE_POST = {"date_from": "2026-01-01", "date_to": "2026-02-01", "format": "page"}
DECIDE_POST = {"permitted": "no", "subject_told": "no"}

# (url name, args from the world, method, data, roles allowed, bound to a record of the centre)
VIEWS = [
    ("attendance_families", lambda w: [], "get", None, {Role.REFERRER}, False),
    ("attendance_request", lambda w: [w["family"].pk], "get", None, {Role.REFERRER}, True),
    ("attendance_request", lambda w: [w["family"].pk], "post", ATTENDANCE_POST,
     {Role.REFERRER}, True),
    ("disclosure_register", lambda w: [], "get", None, {Role.COORDINATOR, Role.CHAIR}, False),
    ("disclosure_register_csv", lambda w: [], "get", None, {Role.COORDINATOR, Role.CHAIR},
     False),
    ("disclosure_request_start", lambda w: [], "get", None, {Role.COORDINATOR}, False),
    ("disclosure_request_create", lambda w: [w["family"].pk], "get", None,
     {Role.COORDINATOR}, True),
    ("disclosure_request_create", lambda w: [w["family"].pk], "post",
     {"requester_type": "agency", "received_via": "phone", "received_on": "2026-01-01",
      "category": "family_info"}, {Role.COORDINATOR}, True),
    ("disclosure_request_detail", lambda w: [w["open"].pk], "get", None, {Role.COORDINATOR},
     True),
    ("disclosure_request_decide", lambda w: [w["open"].pk], "post", DECIDE_POST,
     {Role.COORDINATOR}, True),
    ("disclosure_refusal_letter", lambda w: [w["refused"].pk], "get", None,
     {Role.COORDINATOR}, True),
    ("break_glass", lambda w: [w["family"].pk], "get", None, {Role.COORDINATOR}, True),
    ("break_glass", lambda w: [w["family"].pk], "post",
     {"exception": "child_at_risk", "recipient": "police", "via": "phone",
      "category": "family_info", "reason": "r", "released": "x", "subject_told": "no"},
     {Role.COORDINATOR}, True),
    ("break_glass_acknowledge", lambda w: [w["glass"].pk], "post", {}, {Role.CHAIR}, True),
    ("consent_list", lambda w: [w["family"].pk, w["adult"].pk], "get", None,
     {Role.COORDINATOR}, True),
    ("consent_list", lambda w: [w["family"].pk, w["adult"].pk], "post",
     {"recipient_name": "X", "phone": "on", "given_on": "2026-01-01", "how_given": "phone"},
     {Role.COORDINATOR}, True),
    ("consent_revoke", lambda w: [w["family"].pk, w["adult"].pk, w["grant"].pk], "post", {},
     {Role.COORDINATOR}, True),
]  # fmt: skip
IDS = [f"{v[0]}-{v[2]}" for v in VIEWS]


def counts():
    return (
        DisclosureRequest.objects.count(),
        AccessLog.objects.count(),
        ConsentGrant.objects.filter(revoked_on__isnull=True).count(),
        DisclosureRequest.objects.open().count(),
        DisclosureRequest.objects.awaiting_acknowledgement().count(),
    )


def call(client, view, world):
    name, args, method, data, _, _ = view
    url = reverse(name, args=args(world))
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, view):
    before = counts()
    response = call(client, view, world)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert counts() == before


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_every_other_role_and_the_other_centre_get_404(cast, login, world, view):
    _, _, _, _, allowed, bound = view
    outsiders = [
        user
        for user in cast.everyone()
        if user.role not in allowed or (user.centre_id != cast.centre.pk and bound)
    ]
    assert outsiders
    before = counts()
    for user in outsiders:
        response = call(login(user), view, world)
        assert response.status_code == 404, (user.email, response.status_code)
    assert counts() == before


@pytest.mark.parametrize("view", [v for v in VIEWS if v[4] == {Role.REFERRER} and v[5]])
def test_a_referrer_of_another_family_of_the_same_centre_gets_404(cast, login, world, view):
    colleague = UserFactory(role=Role.REFERRER, centre=cast.centre)
    ReferralFactory(family__centre=cast.centre, referrer=colleague)
    before = counts()
    assert call(login(colleague), view, world).status_code == 404
    assert counts() == before


def assert_clean_markup(html: str) -> None:
    """No inline script, handler or style: the pages work under the strict CSP."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "style=" not in html


@pytest.mark.parametrize("view", [v for v in VIEWS if v[2] == "get"], ids=lambda v: v[0])
def test_the_allowed_user_reaches_each_page(cast, login, world, view):
    """The other side of the outsider tests: the same URLs answer their own users."""
    user = {
        Role.REFERRER: cast.referrer, Role.COORDINATOR: cast.coordinator, Role.CHAIR: cast.chair,
    }[sorted(view[4])[0]]  # fmt: skip
    response = call(login(user), view, world)
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert_clean_markup(response.content.decode())


def test_the_decided_pages_and_alerts_carry_clean_markup(cast, login, world):
    coordinator = login(cast.coordinator)
    for req in [world["refused"], world["glass"]]:
        html = coordinator.get(reverse("disclosure_request_detail", args=[req.pk])).content
        assert_clean_markup(html.decode())
    assert_clean_markup(coordinator.get(reverse("dashboard")).content.decode())
    assert_clean_markup(login(cast.chair).get(reverse("committee")).content.decode())


def test_the_other_centres_users_see_none_of_this_centres_records(cast, login, world):
    for user, name in [
        (cast.other_coordinator, "disclosure_register"),
        (cast.other_chair, "disclosure_register"),
        (cast.other_referrer, "attendance_families"),
    ]:
        html = login(user).get(reverse(name)).content.decode()
        assert world["family"].reference not in html


def test_a_referrer_never_gets_another_centres_family_by_its_id(cast, login, world):
    response = login(cast.other_referrer).post(
        reverse("attendance_request", args=[world["family"].pk]),
        {"date_from": days_ago(30).isoformat(), "date_to": days_ago(0).isoformat()},
    )
    assert response.status_code == 404
