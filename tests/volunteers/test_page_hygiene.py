"""Every volunteers page works under the strict CSP (no inline script, style or handlers),
keeps each input's id unique so that every label finds its own field, and has its tables
captioned."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DbsCheckFactory, TrainingRecordFactory, VolunteerFactory
from tests.volunteers.conftest import book, put_on_rota

pytestmark = pytest.mark.django_db


def check(html: str, url: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, (url, tag)
    assert not re.search(r"\son[a-z]+\s*=", html), url
    assert "style=" not in html, url
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert not [i for i, n in ids.items() if n > 1], (url, ids)
    assert html.count("<table") == html.count("<caption"), url


def test_coordinator_and_chair_pages(cast, login, volunteer):
    applicant = VolunteerFactory(centre=cast.centre)
    TrainingRecordFactory(volunteer=applicant)
    DbsCheckFactory(volunteer=applicant)
    booked = book(cast.centre)
    put_on_rota(volunteer, booked.session)
    client = login(cast.coordinator)
    urls = [
        reverse("volunteer_list"),
        reverse("volunteer_create"),
        reverse("dbs_list"),
        reverse("session_rota", args=[booked.session.pk]),
    ]
    for pk in (applicant.pk, volunteer.pk):
        urls += [
            reverse(name, args=[pk])
            for name in [
                "volunteer_detail",
                "volunteer_edit",
                "volunteer_account",
                "volunteer_dbs",
                "dbs_check_add",
            ]
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.content.decode(), url)
    chair = login(cast.chair)
    for url in [reverse("committee"), reverse("dbs_list")]:
        check(chair.get(url).content.decode(), url)


def test_portal_pages(cast, login, volunteer):
    booked = book(cast.centre, day=timezone.localdate())
    put_on_rota(volunteer, booked.session)
    client = login(cast.volunteer)
    for url in [reverse("volunteer_portal"), reverse("portal_session", args=[booked.session.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        check(response.content.decode(), url)
