"""The family search by part of a name or of a reference (families/search.py), through the
keyed n-gram blind index (families/name_index.py): what it finds, what it never shows, that
nothing typed reaches an address, a log or the database as plaintext, that the index follows
every write of a name, and that it costs the same queries however many families there are."""

import datetime
import logging

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from families import name_index
from families.models import Adult, Child, Family, NameToken
from families.search import matching_family_ids
from tests.factories import AdultFactory, ChildFactory, FamilyFactory
from tests.stored import stored

pytestmark = pytest.mark.django_db

LIST = reverse("family_list")
SEARCH = reverse("family_search")


def family_of(centre, *people: tuple[str, str], children=()) -> Family:
    family = FamilyFactory(centre=centre)
    for first, last in people:
        AdultFactory(family=family, first_name=first, last_name=last)
    for first, last in children:
        ChildFactory(family=family, first_name=first, last_name=last)
    return family


def found(client, term: str) -> list[Family]:
    response = client.post(SEARCH, {"q": term}, follow=True)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


# --- what it finds --------------------------------------------------------------------------


def test_a_childs_first_name_finds_the_family(cast, login):
    family = family_of(cast.centre, ("Amira", "Holloway"), children=[("Lily", "Holloway")])
    assert found(login(cast.coordinator), "lily") == [family]


@pytest.mark.parametrize("term", ["Amira Holloway", "holloway amira", "HOLLOWAY, Amira", "ahol"])
def test_the_whole_name_either_way_round_finds_the_person(cast, login, term):
    family = family_of(cast.centre, ("Amira", "Holloway"))
    assert found(login(cast.coordinator), term) == [family]


@pytest.mark.parametrize("term", ["obrien", "O’Brien", "zoe", "Zoë", "smith jones", "SMITHJON"])  # noqa: RUF001
def test_apostrophes_hyphens_and_accents_do_not_matter(cast, login, term):
    family = family_of(cast.centre, ("Zoë", "O'Brien"), ("Ann", "Smith-Jones"))
    assert found(login(cast.coordinator), term) == [family]


def test_a_name_shorter_than_three_letters_is_found_whole_and_only_whole(cast, login):
    ng = family_of(cast.centre, ("Amy", "Ng"))
    family_of(cast.centre, ("Tama", "Ngata"))
    jo = family_of(cast.centre, ("Jo", "Ellis"))
    client = login(cast.coordinator)
    assert found(client, "Ng") == [ng]
    assert found(client, "jo") == [jo]
    assert found(client, "Am") == []


def test_trigrams_spread_over_several_people_are_not_a_match(cast, login):
    """The index proposes the family (every trigram of "holow" is in someone's name), the
    check in memory refuses it: no one's name holds "holow"."""
    family = family_of(cast.centre, ("Anna", "Holt"), ("Kim", "Polo"), ("Joe", "Lowry"))
    term = name_index.normalise("holow")
    tokens = name_index.term_tokens(cast.centre.pk, term)
    held = set(NameToken.objects.filter(family=family).values_list("token", flat=True))
    assert tokens <= held  # a candidate ...
    assert found(login(cast.coordinator), "holow") == []  # ... never shown


def test_part_of_a_reference_finds_the_families_whose_reference_holds_it(cast, login):
    one = FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0002")
    ten = FamilyFactory(centre=cast.centre, reference="HOM-2025-0010")
    client = login(cast.coordinator)
    assert found(client, "0001") == [one]
    assert found(client, "2025") == [ten]
    assert found(client, "26-00 01") == [one]


def test_letters_alone_never_match_a_reference(cast, login):
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    assert found(login(cast.coordinator), "hom") == []


def test_a_term_of_no_letter_or_digit_is_refused_with_a_message(cast, login):
    response = login(cast.coordinator).post(SEARCH, {"q": "'-'"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "Type the letters of a name" in response.content.decode()


def test_the_results_show_each_familys_names_and_the_term_stays_in_the_box(cast, login):
    family_of(cast.centre, ("Amira", "Holloway"), children=[("Lily", "Holloway")])
    response = login(cast.coordinator).post(SEARCH, {"q": "hollo"}, follow=True)
    html = response.content.decode()
    assert "Amira Holloway" in html and "Lily Holloway" in html
    assert 'value="hollo"' in html


# --- nothing as plaintext -------------------------------------------------------------------


def test_nothing_typed_reaches_an_address_a_log_or_the_database(cast, login, caplog):
    family_of(cast.centre, ("Amira", "Quillington"))
    client = login(cast.coordinator)
    caplog.set_level(logging.DEBUG)

    response = client.post(SEARCH, {"q": "Quillin"}, follow=True)

    assert [f.names.adults for f in response.context["page"]] == [("Amira Quillington",)]
    assert all("quillin" not in url.lower() for url, _ in response.redirect_chain)
    assert "quillin" not in caplog.text.lower()
    held = Session.objects.get(pk=client.session.session_key).session_data
    assert "quillin" not in repr(Session.objects.get(pk=client.session.session_key).get_decoded())
    assert "quillin" not in held.lower()
    tokens = NameToken.objects.values_list("token", flat=True)
    assert tokens and all(isinstance(t, int) for t in tokens)


def test_a_held_search_that_does_not_open_counts_as_expired(cast, login):
    client = login(cast.coordinator)
    session = client.session
    session["family_search"] = "v1:0:not-a-token"
    session.save()
    response = client.get(LIST, {"search": "1"})
    assert list(response.context["page"]) == []
    assert "That search has expired" in response.content.decode()


# --- the index follows every write ----------------------------------------------------------


def test_renaming_an_adult_through_the_form_moves_the_search(cast, login):
    family = FamilyFactory(centre=cast.centre)
    adult = AdultFactory(family=family, first_name="Amira", last_name="Holloway")
    client = login(cast.coordinator)
    client.post(
        reverse("adult_edit", args=[family.pk, adult.pk]),
        {"role": adult.role, "first_name": "Amira", "last_name": "Quennell"},
    )
    assert found(client, "hollo") == []
    assert found(client, "quenn") == [family]


def test_a_child_added_through_the_form_is_found(cast, login):
    family = FamilyFactory(centre=cast.centre)
    client = login(cast.coordinator)
    client.post(
        reverse("child_add", args=[family.pk]),
        {"first_name": "Perpetua", "last_name": "Holloway", "date_of_birth": "2019-05-04"},
    )
    assert Child.objects.filter(family=family).exists()
    assert found(client, "perpet") == [family]


def test_the_command_builds_the_index_for_families_entered_before_it(cast, login):
    family = family_of(cast.centre, ("Amira", "Holloway"))
    NameToken.objects.all().delete()
    client = login(cast.coordinator)
    assert found(client, "hollo") == []
    call_command("name_index_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found(client, "hollo") == [family]


def test_the_command_rebuilds_one_centre_alone_and_refuses_an_unknown_one(cast):
    family_of(cast.centre, ("Amira", "Holloway"))
    theirs = family_of(cast.other_centre, ("Amira", "Holloway"))
    NameToken.objects.all().delete()
    call_command("name_index_rebuild", centre=cast.other_centre.code, stdout=open("/dev/null", "w"))  # noqa: SIM115, E501
    assert set(NameToken.objects.values_list("family", flat=True)) == {theirs.pk}
    with pytest.raises(Exception, match="No centre has the code"):
        call_command("name_index_rebuild", centre="ZZZ")


# --- outsiders ------------------------------------------------------------------------------


def test_another_centres_coordinator_finds_nothing_of_ours_by_name_or_number(cast, login):
    family_of(cast.centre, ("Amira", "Holloway"))
    FamilyFactory(centre=cast.centre, reference="HOM-2026-0001")
    client = login(cast.other_coordinator)
    for term in ["Hollow", "Amira", "0001", "Amira Holloway"]:
        assert found(client, term) == []


def test_the_same_name_in_another_centre_has_other_hashes(cast):
    ours = family_of(cast.centre, ("Amira", "Holloway"))
    theirs = family_of(cast.other_centre, ("Amira", "Holloway"))
    mine = set(NameToken.objects.filter(family=ours).values_list("token", flat=True))
    other = set(NameToken.objects.filter(family=theirs).values_list("token", flat=True))
    assert mine and other and not mine & other


def test_the_search_reads_only_the_families_it_is_given(cast):
    ours = family_of(cast.centre, ("Amira", "Holloway"))
    nothing = Family.objects.none()
    assert matching_family_ids(nothing, centre_id=cast.centre.pk, text="Hollow") == []
    everyone = Family.objects.all()
    assert matching_family_ids(everyone, centre_id=cast.centre.pk, text="Hollow") == [ours.pk]


@pytest.mark.parametrize("role", ["chair", "volunteer", "referrer", "operator"])
def test_no_other_role_searches(cast, login, role):
    family_of(cast.centre, ("Amira", "Holloway"))
    client = login(getattr(cast, role))
    assert client.post(SEARCH, {"q": "Hollow"}).status_code == 404
    assert client.get(LIST, {"search": "1"}).status_code == 404
    assert "family_search" not in client.session


# --- the same queries at any size -----------------------------------------------------------


def _queries(client, *requests) -> list[int]:
    counts = []
    for send in requests:
        with CaptureQueriesContext(connection) as captured:
            assert send().status_code in (200, 302)
        counts.append(len(captured))
    return counts


def test_the_search_and_its_results_take_the_same_queries_for_two_families_or_forty(cast, login):
    client = login(cast.coordinator)

    def families(n: int) -> None:
        for i in range(n):
            family_of(
                cast.centre, (f"Amira{i}", "Holloway"), ("Dean", "Holmes"),
                children=[(f"Lily{i}", "Holloway")],
            )  # fmt: skip

    def ask():
        return _queries(
            client,
            lambda: client.post(SEARCH, {"q": "Hollow"}),
            lambda: client.get(LIST, {"search": "1"}),
            lambda: client.get(LIST, {"search": "1", "page": "2"}),
        )

    families(2)
    client.get(LIST)  # the session exists
    few = ask()
    families(38)
    assert len(client.get(LIST, {"search": "1"}).context["page"].object_list) == 25
    assert ask() == few


def test_the_list_with_names_takes_the_same_queries_for_one_family_or_thirty(cast, login):
    client = login(cast.coordinator)
    family_of(cast.centre, ("Amira", "Holloway"), children=[("Lily", "Holloway")])
    client.get(LIST)
    few = _queries(client, lambda: client.get(LIST))
    for n in range(29):
        family_of(cast.centre, (f"A{n}", "Holloway"), ("B", "C"), children=[("D", "E")])
    assert _queries(client, lambda: client.get(LIST)) == few


def test_a_list_opens_each_familys_names_in_one_query_however_many_people(cast):
    from families.names import names_for_ids

    family = FamilyFactory(centre=cast.centre)
    for n in range(6):
        AdultFactory(family=family, first_name=f"Adult{n}", role=Adult.Role.NAMED_VISITOR)
        ChildFactory(family=family, first_name=f"Child{n}", date_of_birth=datetime.date(2020, 1, 1))
    with CaptureQueriesContext(connection) as captured:
        names = names_for_ids([family.pk])[family.pk]
    assert len(captured) == 1  # the family with its key and its sealed line of names
    assert len(names.adults) == 6 and len(names.children) == 6
    assert stored(Family, family.pk, "people_names").startswith("v1:")


def test_the_line_of_names_follows_every_write_and_a_family_without_one_shows_its_counts(
    cast, login
):
    family = family_of(cast.centre, ("Amira", "Holloway"))
    client = login(cast.coordinator)
    assert "Amira Holloway" in client.get(LIST).content.decode()
    Family.objects.filter(pk=family.pk).update(people_names=None)  # before the rebuild
    html = client.get(LIST).content.decode()
    assert "Amira Holloway" not in html and "<td>1</td>" in html
    untouched = family_of(cast.centre, ("Zainab", "Quarrie"))
    line = stored(Family, untouched.pk, "people_names")
    call_command("name_index_rebuild", missing=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "Amira Holloway" in client.get(LIST).content.decode()
    assert stored(Family, untouched.pk, "people_names") == line  # indexed already: left alone
