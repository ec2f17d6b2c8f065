"""A volunteer who asks the coordinator for guidance (CHI-4.2) reads the answer in the portal
(issue 17, point 6): their own requests only, never another volunteer's, and of a safeguarding
or violence concern only whether it is open or closed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from families import services as family_services
from families.models import Concern
from tests.factories import ConcernFactory, UserFactory
from tests.volunteers.conftest import book, put_on_rota
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

ANSWER = "Canary-answer: the resident parent collects at 12:15."


@pytest.fixture
def session(cast, volunteer):
    booked = book(cast.centre, day=timezone.localdate())
    put_on_rota(volunteer, booked.session)
    return booked.session


def ask(client, session, kind="guidance", text="Canary-question: who collects Tilly?"):
    client.post(
        reverse("portal_concern", args=[session.pk]),
        {"concern-kind": kind, "concern-text": text},
    )
    return Concern.objects.latest("pk")


def answer(concern, coordinator, outcome=ANSWER):
    return family_services.concern_close(concern=concern, by=coordinator, outcome=outcome)


def test_a_guidance_request_closed_with_a_written_answer_shows_the_volunteer_the_answer(
    cast, login, session
):
    # Reproduction: "A volunteer's request for guidance, closed with a written answer, shows
    # the volunteer only 'closed'."
    client = login(cast.volunteer)
    answer(ask(client, session), cast.coordinator)
    for url in [reverse("volunteer_portal"), reverse("portal_session", args=[session.pk])]:
        html = client.get(url).content.decode()
        assert ANSWER in html, url
        assert "Canary-question: who collects Tilly?" in html, url


def test_an_open_request_says_it_waits_for_an_answer(cast, login, session):
    client = login(cast.volunteer)
    ask(client, session)
    html = client.get(reverse("volunteer_portal")).content.decode()
    assert "Waiting for an answer" in html
    assert session.family.reference in html


def test_the_portal_lists_answers_older_than_the_recent_sessions(cast, login, volunteer):
    # The session page is reachable for two weeks; the answer stays readable on the list.
    old = book(cast.centre, day=timezone.localdate() - datetime.timedelta(days=40))
    put_on_rota(volunteer, old.session)
    concern = ConcernFactory(
        family=old.session.family, session=old.session, kind=Concern.Kind.GUIDANCE,
        raised_by=cast.volunteer, text="Canary-old-question",
    )  # fmt: skip
    answer(concern, cast.coordinator)
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert ANSWER in html and "Canary-old-question" in html


def test_a_safeguarding_concerns_outcome_is_not_shown_to_the_volunteer(cast, login, session):
    client = login(cast.volunteer)
    answer(ask(client, session, kind="safeguarding"), cast.coordinator, "Canary-referred-on")
    for url in [reverse("volunteer_portal"), reverse("portal_session", args=[session.pk])]:
        html = client.get(url).content.decode()
        assert "Canary-referred-on" not in html, url
    session_html = client.get(reverse("portal_session", args=[session.pk])).content.decode()
    assert "closed" in session_html


# --- outsiders ----------------------------------------------------------------------------------


def test_another_volunteer_on_the_same_session_does_not_see_the_question_or_the_answer(
    cast, login, session
):
    answer(ask(login(cast.volunteer), session), cast.coordinator)
    colleague_user = UserFactory(role="volunteer", centre=cast.centre)
    put_on_rota(Volunteer.objects.get(user=colleague_user), session)
    client = login(colleague_user)
    for url in [reverse("volunteer_portal"), reverse("portal_session", args=[session.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert ANSWER not in html and "Canary-question" not in html, url


def test_another_centres_volunteer_sees_none_of_it(cast, login, session):
    answer(ask(login(cast.volunteer), session), cast.coordinator)
    client = login(cast.other_volunteer)
    html = client.get(reverse("volunteer_portal")).content.decode()
    assert ANSWER not in html and "Canary-question" not in html
    assert client.get(reverse("portal_session", args=[session.pk])).status_code == 404


def test_a_coordinators_own_guidance_note_is_not_shown_to_volunteers(cast, login, session):
    ConcernFactory(
        family=session.family, session=session, kind=Concern.Kind.GUIDANCE,
        raised_by=cast.coordinator, text="Canary-coordinator-question",
    )  # fmt: skip
    html = login(cast.volunteer).get(reverse("volunteer_portal")).content.decode()
    assert "Canary-coordinator-question" not in html


# --- the coordinator's side ---------------------------------------------------------------------


def test_the_coordinator_is_told_the_volunteer_reads_the_answer(cast, login, session):
    concern = ask(login(cast.volunteer), session)
    client = login(cast.coordinator)
    for url in [
        reverse("concern_close", args=[concern.pk]),
        reverse("family_detail", args=[session.family.pk]),
    ]:
        html = client.get(url).content.decode()
        assert "The volunteer who asked reads this answer in their portal" in html, url


def test_the_portal_list_keeps_a_fixed_number_of_queries(
    cast, login, session, django_assert_max_num_queries
):
    client = login(cast.volunteer)
    answer(ask(client, session), cast.coordinator)
    client.get(reverse("volunteer_portal"))
    with django_assert_max_num_queries(40) as captured:
        client.get(reverse("volunteer_portal"))
    few = len(captured.captured_queries)  # read now: later requests empty the query log
    for n in range(4):
        other = book(cast.centre, day=timezone.localdate())
        put_on_rota(Volunteer.objects.get(user=cast.volunteer), other.session)
        answer(ask(client, other.session, text=f"Question {n}"), cast.coordinator)
        ask(client, other.session, text=f"Open question {n}")
    # The messages of those requests live in the session (MESSAGE_STORAGE): the first page
    # after them shows them and writes the session; the count is compared after that.
    client.get(reverse("volunteer_portal"))
    with django_assert_max_num_queries(few):
        assert client.get(reverse("volunteer_portal")).status_code == 200
