"""Each role lands on its own page; every other role gets a 404 there."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LANDING = {
    "coordinator": "dashboard",
    "chair": "committee",
    "volunteer": "volunteer_portal",
    "referrer": "referrer_portal",
    "operator": "operator",
}


@pytest.mark.parametrize(("role", "page"), LANDING.items())
def test_home_takes_each_role_to_its_page(cast, login, role, page):
    client = login(getattr(cast, role))
    response = client.get(reverse("home"))
    assert response.url == reverse(page)
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("page", LANDING.values())
def test_every_other_role_gets_a_404(cast, login, page):
    owner = next(role for role, p in LANDING.items() if p == page)
    for role in LANDING:
        if role != owner:
            assert login(getattr(cast, role)).get(reverse(page)).status_code == 404, role


def test_navigation_offers_only_the_roles_pages(cast, login):
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert reverse("volunteer_portal") in html
    assert reverse("dashboard") not in html and reverse("people") not in html


def test_pages_have_a_skip_link_and_a_main_landmark(cast, login):
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert 'href="#main"' in html and 'id="main"' in html


def test_bootstrap_is_served_by_the_app_not_a_cdn(client):
    html = client.get(reverse("login")).content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower() and "https://" not in html
    from django.contrib.staticfiles import finders

    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js")
