"""The confidentiality policy: versioned, readable by every user and the public, reviewed
yearly with a warning from 30 days before (CHI-4.10, CHI-note, CHE-11, CHE-12)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cccc.models import Centre, PolicyDocument
from cccc.policies import current_policy, policy_adopt, review_warning
from tools.demo_policies import TEXTS

pytestmark = pytest.mark.django_db


def adopt(centre, by, version="1", text="Our policy text.", days_ago=10):
    return policy_adopt(
        centre=centre, version=version, text=text, by=by,
        adopted_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )  # fmt: skip


@pytest.mark.parametrize("role", ["coordinator", "chair", "volunteer", "referrer"])
def test_every_signed_in_user_reads_their_centres_current_policy(cast, login, role):
    adopt(cast.centre, cast.coordinator, text="Home centre policy words.")
    adopt(cast.other_centre, cast.other_coordinator, text="Other centre policy words.")
    html = login(getattr(cast, role)).get(reverse("policy_current")).content.decode()
    assert "Home centre policy words." in html
    assert "Other centre policy words." not in html


def test_the_public_reads_it_at_the_centres_address_without_signing_in(client, cast):
    adopt(cast.centre, cast.coordinator, text="Public words.")
    response = client.get(reverse("policy_public", args=[cast.centre.slug]))
    assert response.status_code == 200
    assert "Public words." in response.content.decode()
    assert client.get(reverse("policy_public", args=["no-such-centre"])).status_code == 404
    assert client.get(reverse("policy_public", args=[cast.other_centre.slug])).status_code == 404


def test_the_newest_adopted_version_is_current(cast):
    adopt(cast.centre, cast.coordinator, version="1", text="old", days_ago=400)
    new = adopt(cast.centre, cast.coordinator, version="2", text="new", days_ago=5)
    assert current_policy(cast.centre) == new


def test_adopting_records_who_and_when_and_sets_the_review_a_year_on(cast, login):
    response = login(cast.chair).post(
        reverse("policy_versions"),
        {"version": "2027.1", "title": "Confidentiality policy", "adopted_on": "2027-01-31",
         "text": "Adopted words."},
    )  # fmt: skip
    assert response.status_code == 302
    document = PolicyDocument.objects.get(centre=cast.centre, version="2027.1")
    assert document.adopted_by == cast.chair
    assert document.recorded_at.date() == timezone.localdate()
    assert document.next_review_due == datetime.date(2028, 1, 31)


def test_a_version_number_is_used_once_and_the_form_says_so(cast, login):
    adopt(cast.centre, cast.coordinator, version="3")
    response = login(cast.coordinator).post(
        reverse("policy_versions"),
        {"version": "3", "title": "T", "adopted_on": "2026-01-01", "text": "Typed text kept."},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "already exists" in html
    assert "Typed text kept." in html


@pytest.mark.parametrize(
    ("adopted_days_ago", "warned"), [(334, False), (335, True), (365, True), (400, True)]
)
def test_the_review_warning_starts_thirty_days_before_it_is_due(cast, adopted_days_ago, warned):
    document = adopt(cast.centre, cast.coordinator, days_ago=adopted_days_ago)
    days_left = (document.next_review_due - timezone.localdate()).days
    assert (review_warning(cast.centre) is not None) == warned, days_left


def test_a_centre_without_a_policy_is_warned(cast):
    assert "No confidentiality policy" in review_warning(cast.centre)["message"]


@pytest.mark.parametrize("role", ["volunteer", "referrer", "operator"])
def test_only_the_coordinator_and_chair_keep_the_versions(cast, login, role):
    assert login(getattr(cast, role)).get(reverse("policy_versions")).status_code == 404


def test_the_operator_has_no_centre_policy_page(cast, login):
    assert login(cast.operator).get(reverse("policy_current")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_for_the_internal_pages(client):
    for name in ["policy_current", "policy_versions"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("variant", "clauses"),
    [
        ("chichester", ["CHI-3", *[f"CHI-4.{n}" for n in range(1, 11)], "CHI-note"]),
        ("chesterfield", [*[f"CHE-{n})" for n in range(1, 13)], "CHE-WS", "CHE-PO",
                          *[f"CHE-DP{n}" for n in range(1, 9)], "CHE-SAR"]),
    ],
)  # fmt: skip
def test_the_demo_policies_follow_their_seed_clause_by_clause(variant, clauses):
    text = TEXTS[variant]
    positions = [text.index(clause) for clause in clauses]
    assert positions == sorted(positions)  # every clause, in the seed's order


def test_demo_data_gives_each_centre_its_policy(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    for centre in Centre.objects.all():
        assert centre.policies.count() == 1
        assert current_policy(centre).text.startswith(TEXTS[centre.policy_variant].strip()[:40])


def test_the_chairs_page_warns_of_the_review_too(cast, login):
    adopt(cast.centre, cast.coordinator, days_ago=360)
    html = login(cast.chair).get(reverse("committee")).content.decode()
    assert "annual policy review is due in" in html
