"""Every record that holds personal data is named by a retention rule, and the job destroys
what lies outside families too: police visits and witness summonses not linked to a family,
expired sessions, and the searches held in sessions when a family is destroyed."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
from simple_history.models import HistoricalChanges

from cccc import crypto
from cccc.fields import EncryptedField
from cccc.models import DataKey
from disclosures.models import PoliceVisit, WitnessSummons
from families.views import SEARCH_CONTEXT, SEARCH_SESSION_KEY
from retention import rules
from retention.models import DestructionRecord
from retention.plan import ownership
from retention.services import retention_run
from tests.factories import PoliceVisitFactory, WitnessSummonsFactory
from tests.retention.conftest import TODAY, at_noon, family_history, years_ago

PERSONAL = re.compile(
    r"(^|_)(name|email|phone|address|username|ip_address|user_agent|session_data|object_repr)$"
)


def _personal_models() -> set[str]:
    found = set()
    for model in apps.get_models():
        if issubclass(model, HistoricalChanges):
            continue  # history rows go with their record
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedField) or PERSONAL.search(field.name):
                found.add(model._meta.label)
    return found


def test_every_model_with_personal_data_is_named_by_a_retention_rule():
    named = {label for rule in rules.RULES for label in rule.models}
    unnamed = _personal_models() - named - set(rules.HOUSEKEEPING) - set(rules.NOT_PERSONAL)
    assert not unnamed, f"no retention rule names {sorted(unnamed)}"
    assert "disclosures.PoliceVisit" in rules.POLICE_VISIT.models
    # Plain times and days, so the pattern above misses it, but it describes a person.
    assert "volunteers.VolunteerAvailability" in rules.VOLUNTEER.models
    assert rules.ACCIDENT_BOOK.models == ("retention.AccidentEntry",)
    assert rules.ACCIDENT_BOOK.name(None) == "CHI-4.9: kept forever"


def test_what_the_family_and_volunteer_rules_name_is_destroyed_with_them():
    from families.models import Family
    from volunteers.models import Volunteer

    for rule, root in ((rules.FAMILY, Family), (rules.VOLUNTEER, Volunteer)):
        owned = {model._meta.label for model in ownership(root).models()}
        assert set(rule.models) - {"cccc.User", "otp_totp.TOTPDevice"} <= owned, rule


@pytest.mark.django_db
def test_a_police_visit_without_a_family_is_destroyed_after_the_family_period(cast):
    old = PoliceVisitFactory(
        centre=cast.centre,
        occurred_at=at_noon(years_ago(3, days=1)),
        purpose="Serve a non-molestation order on a Mr Example",
    )
    recent = PoliceVisitFactory(centre=cast.centre, occurred_at=at_noon(years_ago(2)))
    old_key = old.data_key_id
    report = retention_run(today=TODAY)
    assert [item.reference for item in report.destroyed] == [f"POL-{old.pk}"]
    assert not PoliceVisit.objects.filter(pk=old.pk).exists()
    assert not PoliceVisit.history.filter(id=old.pk).exists()
    assert not DataKey.objects.filter(pk=old_key).exists()
    assert PoliceVisit.objects.filter(pk=recent.pk).exists()
    entry = DestructionRecord.objects.get()
    assert (entry.record_type, entry.record_id) == ("police_visit", old.pk)
    assert entry.rule == "CHE-10 / CHE-DP5: 3 years after the visit"


@pytest.mark.django_db
def test_a_closed_witness_summons_without_a_family_is_destroyed_after_the_family_period(cast):
    closed = WitnessSummonsFactory(
        centre=cast.centre,
        outcome=WitnessSummons.Outcome.SET_ASIDE,
        closed_at=at_noon(years_ago(3, days=1)),
        closed_by=cast.chair,
    )
    still_open = WitnessSummonsFactory(centre=cast.centre, received_on=years_ago(5))
    report = retention_run(today=TODAY)
    assert [item.reference for item in report.destroyed] == [f"WS-{closed.pk}"]
    assert not WitnessSummons.objects.filter(pk=closed.pk).exists()
    assert not WitnessSummons.history.filter(id=closed.pk).exists()
    assert WitnessSummons.objects.filter(pk=still_open.pk).exists()


def _session(data: dict, *, expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def _searched(term: str) -> dict:
    return {SEARCH_SESSION_KEY: crypto.seal_transient(term, context=SEARCH_CONTEXT), "kept": 1}


@pytest.mark.django_db
def test_destroying_a_family_clears_every_search_held_in_a_session(cast):
    story = family_history(cast.centre, years_ago(4), by=cast.coordinator)
    hour = datetime.timedelta(hours=1)
    searched = _session(_searched(story.adults[0].last_name), expires_in=hour)
    other = _session(_searched("Anyone else"), expires_in=hour)
    retention_run(today=TODAY)
    for key in (searched, other):
        remaining = Session.objects.get(pk=key).get_decoded()
        assert SEARCH_SESSION_KEY not in remaining and remaining["kept"] == 1


@pytest.mark.django_db
def test_a_run_that_destroys_no_family_leaves_the_searches_in_sessions(cast):
    family_history(cast.centre, years_ago(1), by=cast.coordinator)
    held = _session(_searched("Holloway"), expires_in=datetime.timedelta(hours=1))
    retention_run(today=TODAY)
    assert SEARCH_SESSION_KEY in Session.objects.get(pk=held).get_decoded()


@pytest.mark.django_db
def test_the_nightly_run_clears_expired_sessions(cast):
    expired = _session({"x": 1}, expires_in=-datetime.timedelta(minutes=1))
    live = _session({"x": 1}, expires_in=datetime.timedelta(minutes=30))
    retention_run(today=TODAY)
    assert not Session.objects.filter(pk=expired).exists()
    assert Session.objects.filter(pk=live).exists()


@pytest.mark.django_db
def test_the_nightly_run_deletes_sign_in_attempts_older_than_the_cool_off(cast, settings):
    from axes.models import AccessAttempt

    def attempt(minutes_ago: int) -> AccessAttempt:
        made = AccessAttempt.objects.create(
            username=f"someone{minutes_ago}@example.org",
            ip_address="192.0.2.9",
            failures_since_start=2,
        )
        moved = timezone.now() - datetime.timedelta(minutes=minutes_ago)
        AccessAttempt.objects.filter(pk=made.pk).update(attempt_time=moved)
        return made

    old, recent = attempt(31), attempt(5)
    retention_run(today=TODAY)
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


@pytest.mark.django_db
def test_the_screen_lists_a_police_visit_due_soon_without_a_keep_longer_link(cast, login):
    from django.urls import reverse
    from django.utils import timezone as tz

    visit = PoliceVisitFactory(
        centre=cast.centre, occurred_at=tz.now() - datetime.timedelta(days=3 * 365 - 10)
    )
    page = login(cast.coordinator).get(reverse("retention_screen")).content.decode()
    assert f"POL-{visit.pk}" in page and "police visit, no family" in page
    assert reverse("keep_volunteer", args=[visit.pk]) not in page
