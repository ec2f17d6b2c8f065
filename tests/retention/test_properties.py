"""Property-based: over generated histories of families (last use), volunteers
(resignation), sessions (some deleted long ago), holds, keep-longer decisions and accident
entries in two centres with their own periods, a run leaves

- nothing due and unheld;
- everything not due, held or kept, whole (every live and history row, and its key);
- the accident book unchanged and readable;
- no history row, blind index or data key of a destroyed record, so a copy of its
  ciphertext taken before the run cannot be opened after it;
- the annual statistics unchanged;
- and a second run changes nothing.

Each example is built and rolled back inside its own savepoint."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cccc import crypto
from cccc.models import Centre, DataKey
from families.models import Adult, Family, add_months
from retention import statistics
from retention.models import AccidentEntry, DestructionRecord
from retention.services import retention_run
from tests.factories import (
    AccidentEntryFactory,
    ConcernFactory,
    DisclosureRequestFactory,
    KeepLongerFactory,
    SubjectAccessRequestFactory,
    WitnessSummonsFactory,
)
from tests.retention.conftest import (
    TODAY,
    any_rows,
    family_history,
    family_rows,
    resigned_volunteer,
    volunteer_rows,
)
from tests.stored import stored
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

HOLDS = [
    None, "open concern", "closed concern", "open request", "decided request", "open summons",
    "open subject access request",
]  # fmt: skip
HELD = {"open concern", "open request", "open summons", "open subject access request"}
KEEPS = [None, "until later", "review passed"]
SHARED = {"RotaEntry", "hist RotaEntry"}  # belongs to a session and a volunteer both


def _age(years: int):
    """How long ago a clock started: near the due date (a few days either side) or anywhere
    in the last seven years."""
    return st.one_of(
        st.integers(-3, 3).map(lambda d: ("edge", d)),
        st.integers(0, 7 * 365).map(lambda d: ("days", d)),
    )


def _start(age, years: int) -> datetime.date:
    kind, n = age
    if kind == "edge":
        return add_months(TODAY, -12 * years) + datetime.timedelta(days=n)
    return TODAY - datetime.timedelta(days=n)


families = st.lists(
    st.fixed_dictionaries(
        {
            "other_centre": st.booleans(),
            "age": _age(3),
            "sessions": st.integers(0, 2),
            "deleted_session": st.booleans(),
            "hold": st.sampled_from(HOLDS),
            "keep": st.sampled_from(KEEPS),
        }
    ),
    max_size=4,
)
volunteers = st.lists(
    st.fixed_dictionaries(
        {
            "other_centre": st.booleans(),
            "age": st.one_of(st.none(), _age(3)),
            "rota": st.integers(0, 20),
        }
    ),
    max_size=3,
)


def _token(model, pk: int, field: str) -> str:
    return stored(model, pk, field)


def _opens(model, field: str, token: str, owner) -> bool:
    """Try to open a copied token as the owner's record would, from ids alone (nothing
    cached in memory), even with the owner gone."""
    target = model._meta.get_field(field)
    if model is Adult:
        copy = Adult(family=Family(pk=owner.pk, data_key_id=owner.data_key_id))
    else:
        copy = Volunteer(pk=owner.pk, data_key_id=owner.data_key_id)
    try:
        target.open(copy, token)
    except crypto.DecryptionError:
        return False
    return True


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    family_specs=families,
    volunteer_specs=volunteers,
    accidents=st.integers(0, 3),
    # From the floor of three years (cccc.models.MIN_RETENTION_YEARS) up.
    periods=st.tuples(st.integers(3, 6), st.integers(3, 6), st.integers(3, 6)),
)
def test_a_run_destroys_exactly_the_due_unheld_records_and_nothing_else(
    cast, family_specs, volunteer_specs, accidents, periods
):
    with transaction.atomic():
        _check(cast, family_specs, volunteer_specs, accidents, periods)
        transaction.set_rollback(True)


def _check(cast, family_specs, volunteer_specs, accidents, periods):
    # Fresh rows: objects kept in memory would remember a rolled-back example's centre key.
    home, other = (Centre.objects.get(pk=c.pk) for c in (cast.centre, cast.other_centre))
    home.family_retention_years, home.volunteer_retention_years = periods[0], periods[1]
    other.family_retention_years, other.volunteer_retention_years = periods[2], periods[2]
    home.save()
    other.save()
    coordinators = {home.pk: cast.coordinator, other.pk: cast.other_coordinator}

    # --- the history ---------------------------------------------------------------------
    expected_gone, made_families, sessions_of = set(), [], {home.pk: [], other.pk: []}
    for spec in family_specs:
        centre = other if spec["other_centre"] else home
        used = _start(spec["age"], centre.family_retention_years)
        story = family_history(
            centre, used, by=coordinators[centre.pk], sessions=spec["sessions"],
            deleted_session=spec["deleted_session"],
        )  # fmt: skip
        family = story.family
        sessions_of[centre.pk] += story.sessions
        if spec["hold"] in ("open concern", "closed concern"):
            ConcernFactory(
                family=family, raised_by=coordinators[centre.pk],
                status="open" if spec["hold"] == "open concern" else "closed",
            )  # fmt: skip
        elif spec["hold"] in ("open request", "decided request"):
            DisclosureRequestFactory(family=family, decided=spec["hold"] == "decided request")
        elif spec["hold"] == "open summons":
            WitnessSummonsFactory(centre=centre, family=family)
        elif spec["hold"] == "open subject access request":
            SubjectAccessRequestFactory(adult=story.adults[0])
        if spec["keep"]:
            later = spec["keep"] == "until later"
            review = TODAY + datetime.timedelta(days=40 if later else 0)
            KeepLongerFactory(family=family, review_on=review)
        due = add_months(used, 12 * centre.family_retention_years) <= TODAY
        held = spec["hold"] in HELD
        kept = spec["keep"] == "until later"
        if due and not held and not kept:
            expected_gone.add(("family", family.pk))
        made_families.append(story)

    made_volunteers = []
    for spec in volunteer_specs:
        centre = other if spec["other_centre"] else home
        sessions = sessions_of[centre.pk]
        session = sessions[spec["rota"] % len(sessions)] if sessions else None
        if spec["age"] is None:
            continue  # still working: cast.volunteer stands for them
        resigned = _start(spec["age"], centre.volunteer_retention_years)
        volunteer = resigned_volunteer(centre, resigned, session=session)
        if add_months(resigned, 12 * centre.volunteer_retention_years) <= TODAY:
            expected_gone.add(("volunteer", volunteer.pk))
        made_volunteers.append(volunteer)

    authors = [cast.coordinator] + [v.user for v in made_volunteers if v.centre_id == home.pk]
    for n in range(accidents):
        AccidentEntryFactory(centre=home, recorded_by=authors[n % len(authors)])

    # --- what there was ------------------------------------------------------------------
    rows = {("family", s.family.pk): family_rows(s.family.pk) for s in made_families}
    rows |= {("volunteer", v.pk): volunteer_rows(v.pk) for v in made_volunteers}
    owners = {("family", s.family.pk): s.family for s in made_families}
    owners |= {("volunteer", v.pk): v for v in made_volunteers}
    tokens = {("family", s.family.pk): (Adult, s.adults[0].pk, "last_name") for s in made_families}
    tokens |= {("volunteer", v.pk): (Volunteer, v.pk, "last_name") for v in made_volunteers}
    copies = {key: _token(*spec) for key, spec in tokens.items()}
    for key, (model, _pk, field) in tokens.items():
        assert _opens(model, field, copies[key], owners[key])
    digests = {
        s.family.pk: {a.last_name_index for a in Adult.objects.filter(family=s.family)}
        for s in made_families
    }
    book = [(e.pk, e.people_involved, e.what_happened) for e in AccidentEntry.objects.all()]
    years = range(TODAY.year - 8, TODAY.year + 1)
    figures = {c.pk: [statistics.centre_year(c, y, TODAY) for y in years] for c in (home, other)}

    # --- the run -------------------------------------------------------------------------
    report = retention_run(today=TODAY)

    destroyed = {(item.record_type, item.record_id) for item in report.destroyed}
    assert destroyed == expected_gone
    register = set(DestructionRecord.objects.values_list("record_type", "record_id"))
    assert register == expected_gone
    for key, before in rows.items():
        after = family_rows(key[1]) if key[0] == "family" else volunteer_rows(key[1])
        model, _pk, field = tokens[key]
        if key in expected_gone:
            assert not any_rows(after), (key, after)
            assert not DataKey.objects.filter(pk__in=before["DataKey"]).exists()
            assert not _opens(model, field, copies[key], owners[key])
            if key[0] == "family":
                found = Adult.history.filter(last_name_index__in=digests[key[1]]).exists()
                assert (
                    not found
                    and not Adult.objects.filter(last_name_index__in=digests[key[1]]).exists()
                )
        else:
            unshared = {k: v for k, v in after.items() if k not in SHARED}
            assert unshared == {k: v for k, v in before.items() if k not in SHARED}, key
            assert _opens(model, field, copies[key], owners[key])
    assert [(e.pk, e.people_involved, e.what_happened) for e in AccidentEntry.objects.all()] == (
        book
    )
    after_figures = {
        c.pk: [statistics.centre_year(c, y, TODAY) for y in years] for c in (home, other)
    }
    assert after_figures == figures

    # --- a second run changes nothing ----------------------------------------------------
    kept_rows = {
        key: family_rows(key[1]) if key[0] == "family" else volunteer_rows(key[1]) for key in rows
    }
    again = retention_run(today=TODAY)
    assert again.destroyed == []
    assert DestructionRecord.objects.count() == len(expected_gone)
    for key, before in kept_rows.items():
        now = family_rows(key[1]) if key[0] == "family" else volunteer_rows(key[1])
        assert now == before
    assert (
        Family.objects.filter(pk__in=[k[1] for k in expected_gone if k[0] == "family"]).count() == 0
    )
