"""Nobody outside the centre's coordinators reaches a session page."""

import pytest
from django.urls import reverse

from families.models import ContactSession, SessionNote
from tests.families.session_cases import DAY_TEXT, form_data

pytestmark = pytest.mark.django_db


SESSION_PAGES = [
    ("get", "session_detail"),
    ("post", "session_cancel"),
    ("post", "attendance_record"),
    ("post", "session_note_add"),
]
CENTRE_PAGES = [
    ("day_view", []),
    ("day_view_for", [DAY_TEXT]),
    ("week_view", []),
    ("week_view_for", [DAY_TEXT]),
]
OUTSIDERS = [
    "other_coordinator", "chair", "volunteer", "referrer", "operator", "other_chair",
    "other_volunteer", "other_referrer",
]  # fmt: skip


def _outsider_requests(case, session):
    book_url = reverse("session_book", args=[case.family.pk])
    yield "get", book_url, {}
    yield "post", book_url, form_data(case, starts_at="14:00", ends_at="15:00")
    for method, name in SESSION_PAGES:
        yield method, reverse(name, args=[session.pk]), {"text": "Outsider note."}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_a_404_from_every_session_page(cast, login, case, session, who):
    client = login(getattr(cast, who))
    for method, url, data in _outsider_requests(case, session):
        assert getattr(client, method)(url, data).status_code == 404, (who, url)
    session.refresh_from_db()
    assert session.status == ContactSession.Status.BOOKED
    assert ContactSession.objects.count() == 1
    assert not SessionNote.objects.exists()


@pytest.mark.parametrize("who", [w for w in OUTSIDERS if w != "other_coordinator"])
@pytest.mark.parametrize("name, args", CENTRE_PAGES)
def test_only_coordinators_reach_the_day_and_week_views(cast, login, who, name, args):
    assert login(getattr(cast, who)).get(reverse(name, args=args)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, case, session):
    login_url = reverse("login")
    urls = [(m, u, d) for m, u, d in _outsider_requests(case, session)]
    urls += [("get", reverse(name, args=args), {}) for name, args in CENTRE_PAGES]
    for method, url, data in urls:
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(login_url), url
    assert ContactSession.objects.count() == 1
    assert not SessionNote.objects.exists()
