"""The normalisation and n-grams behind the family search (families/name_index.py), for any
name in any spelling: property tests (hypothesis) and the spellings a coordinator types."""

import datetime
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from families import name_index

# Any text at all, including marks, apostrophes, hyphens, other scripts and control characters.
any_text = st.text(max_size=40)
# Names as people have them: letters of several scripts, with the separators names use.
name_letters = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    + list("éèêëàâäçñøåæœßłıðþİÆØÅÉÖÜ")
    + list("АБВгдеЖзиЙ")
    + list("محمدعلي")
    + list("李王张")
)
separator = st.sampled_from([" ", "-", "'", "’", "‘", "ʼ", "  ", " - "])  # noqa: RUF001


def _join(parts: list[str], seps: list[str]) -> str:
    return "".join(part + sep for part, sep in zip(parts, seps, strict=True)).strip(" -'’‘ʼ")  # noqa: RUF001


@st.composite
def names(draw) -> str:
    """One to three parts of a name, joined by spaces, hyphens or apostrophes."""
    parts = draw(st.lists(st.text(name_letters, min_size=1, max_size=10), min_size=1, max_size=3))
    seps = draw(st.lists(separator, min_size=len(parts), max_size=len(parts)))
    return _join(parts, seps)


name = names()


CENTRE = 7


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_normalising_twice_changes_nothing(text):
    once = name_index.normalise(text)
    assert name_index.normalise(once) == once


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_a_normalised_name_is_letters_and_digits_only_in_lower_case(text):
    compact = name_index.normalise(text)
    assert all(ch.isalnum() for ch in compact)
    assert compact == compact.casefold()


@settings(max_examples=150, deadline=None)
@given(name, name)
def test_every_part_of_a_name_finds_it_through_its_trigrams(first, last):
    """No false negative: any stretch of either form, typed in any case, is found by the
    index (its hashes are among the person's) and by the check in memory."""
    tokens = name_index.person_tokens(CENTRE, first, last, None, child=False)
    for form in name_index.forms(first, last):
        for start in range(len(form)):
            for end in range(start + name_index.SHORT, len(form) + 1):
                term = form[start:end]
                assert name_index.term_tokens(CENTRE, term) <= tokens
                assert name_index.person_matches(term, first, last)


@settings(max_examples=300, deadline=None)
@given(name, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_a_name_typed_composed_or_decomposed_normalises_alike(text, form):
    assert name_index.normalise(unicodedata.normalize(form, text)) == name_index.normalise(text)


@settings(max_examples=300, deadline=None)
@given(name, name)
def test_the_whole_name_typed_either_way_round_or_upper_case_finds_the_person(first, last):
    for typed in [f"{first} {last}", f"{last}, {first}", f"{first} {last}".upper()]:
        term = name_index.normalise(typed)
        if len(term) >= name_index.SHORT:
            tokens = name_index.person_tokens(CENTRE, first, last, None, child=False)
            assert name_index.term_tokens(CENTRE, term) <= tokens
        assert name_index.person_matches(term, first, last)


@settings(max_examples=300, deadline=None)
@given(name, name)
def test_each_word_of_a_name_finds_it_however_short(first, last):
    tokens = name_index.person_tokens(CENTRE, first, last, None, child=False)
    for word in name_index.words(f"{first} {last}"):
        assert name_index.term_tokens(CENTRE, word) <= tokens
        assert name_index.person_matches(word, first, last)


@settings(max_examples=200, deadline=None)
@given(name, name, name)
def test_the_check_in_memory_finds_exactly_the_stretches_of_the_name(first, last, other):
    """A term found in memory is a stretch of one of the forms (or one of the short words):
    the index's candidates that are not are never shown."""
    term = name_index.normalise(other)
    expected = (
        term in name_index.short_words(first, last)
        if len(term) < name_index.SHORT
        else any(term in form for form in name_index.forms(first, last))
    )
    assert name_index.person_matches(term, first, last) == expected


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("o'brien", "O’Brien"),  # noqa: RUF001
        ("OBrien", "O'Brien"),
        ("smith jones", "Smith-Jones"),
        ("smithjones", "Smith - Jones"),
        ("zoe", "Zoë"),
        ("Zoë", "Zoe"),
        ("odegard", "Ødegård"),
        ("strasse", "Straße"),
        ("LOPEZ", "López"),
        ("aesa", "Æsa"),
        ("muller", "Müller"),
        ("Иван", "иван"),
    ],
)
def test_spellings_normalise_alike(typed, stored):
    assert name_index.normalise(typed) == name_index.normalise(stored)


def test_hyphens_and_spaces_part_words_and_apostrophes_do_not():
    assert name_index.words("Mary-Ann O'Neil") == ["mary", "ann", "oneil"]
    assert name_index.short_words("Jo", "Ng") == {"jo", "ng"}
    assert name_index.short_words("Amira", "Holloway") == set()


def test_a_short_term_finds_only_a_whole_short_word():
    assert name_index.person_matches("ng", "Amy", "Ng")
    assert not name_index.person_matches("ng", "Amy", "Ngata")
    assert not name_index.person_matches("am", "Amy", "Ng")


def test_the_hashes_differ_by_centre_and_by_purpose():
    one = name_index.token(name_index.TRIGRAM, 1, "hol")
    assert one == name_index.token(name_index.TRIGRAM, 1, "hol")
    assert one != name_index.token(name_index.TRIGRAM, 2, "hol")
    assert one != name_index.token(name_index.SHORT_WORD, 1, "hol")
    assert -(2**63) <= one < 2**63


def test_a_childs_identity_is_name_and_date_of_birth_an_adults_the_name():
    born = datetime.date(2019, 5, 4)
    child = name_index.person_tokens(CENTRE, "Lily", "Holloway", born, child=True)
    assert name_index.identity_tokens(CENTRE, [], [("lily", "HOLLOWAY", born)]) <= child
    other_day = name_index.identity_tokens(
        CENTRE, [], [("Lily", "Holloway", datetime.date(2019, 5, 5))]
    )
    assert not other_day & child
    adult = name_index.person_tokens(CENTRE, "Amira", "Holloway", None, child=False)
    assert name_index.identity_tokens(CENTRE, [("Amira", "Holloway")], []) <= adult
    assert not name_index.identity_tokens(CENTRE, [("Amira", "Hollow")], []) & adult
