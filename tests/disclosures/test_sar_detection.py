"""Another person's details in free text are found however they are written (issue 15.2), and
blanked in a subject access export: phones whatever the separators, postcodes with or without
their space and in any case, each part of an address on its own, names whatever the case or
apostrophe, possessives included. Detection is a safety net under the review of every item
(tests/disclosures/test_sar_review.py), not the rule.

The property tests generate other people's contact details in many spellings inside free
text; neither the redacted text nor the export may hold any of them."""

import json
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosures import sar_services
from disclosures.sar_export import export_json, sar_export
from disclosures.sar_redact import REDACTED, Redactor
from families.models import Adult, Child
from tests.factories import SessionNoteFactory

MOTHER = Adult(
    first_name="Siobhan",
    last_name="O'Sullivan",
    address="Flat 2, 14 Elm Grove, Hove BN3 4AB",
    phone="07700 900123",
    email="s.os@example.net",
)
FATHER = ["Declan", "Farrow"]
PIP = Child(first_name="Pip", last_name="Farrow")


def redactor(**kwargs) -> Redactor:
    return Redactor(others=[MOTHER], children=[PIP], own=FATHER, **kwargs)


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123", "07700-900-123", "07700900123", "0770 090 0123", "07700.900.123",
        "(07700) 900 123", "+44 7700 900123", "+447700900123", "+44 (0)7700 900123",
        "0044 7700 900 123", "07700\u00a0900123", "07700 – 900 – 123", "07 700 900 123",
    ],
)  # fmt: skip
def test_a_phone_number_is_found_whatever_its_separators(written):
    text = redactor()(f"Her new mobile is {written}, she said.")
    assert text == f"Her new mobile is {REDACTED}, she said."


@pytest.mark.parametrize("written", ["BN3 4AB", "BN34AB", "bn3 4ab", "Bn3  4Ab", "bn34ab"])
def test_a_postcode_is_found_with_or_without_its_space_in_any_case(written):
    assert redactor()(f"Moved to ({written}) in May") == f"Moved to ({REDACTED}) in May"


def test_any_postcode_but_the_subjects_own_is_blanked():
    redact = redactor(own_addresses=["3 Quarry Lane, Lewes BN7 2AA"])
    assert redact("From SW1A 1AA to BN7 2AA") == f"From {REDACTED} to BN7 2AA"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she moved to Hove last month", f"she moved to {REDACTED} last month"),
        ("now housed near Elm Grove, Hove.", f"now housed near {REDACTED}, {REDACTED}."),
        ("at 14 elm grove", f"at {REDACTED}"),
        ("in Flat 2 upstairs", f"in {REDACTED} upstairs"),
        ("off Elm Gr. by the shops", f"off {REDACTED} by the shops"),
        ("postcode area BN3", f"postcode area {REDACTED}"),
        ("HOVE", REDACTED),
    ],
)
def test_each_part_of_an_address_is_found_on_its_own(text, expected):
    assert redactor()(text) == expected


@pytest.mark.parametrize(
    "written",
    [
        "O'Sullivan", "O’Sullivan", "o’sullivan", "O‘SULLIVAN", "O`Sullivan", "OSullivan",
        "O Sullivan", "O’Sullivan’s", "O'Sullivans", "SIOBHAN", "siobhan's", "Siobhan’s",
    ],
)  # fmt: skip
def test_a_name_is_found_whatever_its_case_or_apostrophe(written):
    text = redactor()(f"Seen with {written} sister.")
    assert text == f"Seen with {REDACTED} sister.", text


def test_an_email_is_found_in_any_case_and_any_other_email_is_blanked():
    text = redactor(own_emails=["d.farrow@example.net"])(
        "Wrote from S.OS@Example.NET and new.me@mail.example; mine is d.farrow@example.net"
    )
    assert text == f"Wrote from {REDACTED} and {REDACTED}; mine is d.farrow@example.net"


def test_the_subjects_own_name_and_phone_and_the_childrens_first_names_are_left_alone():
    text = redactor(own_phones=["07700 900777"])(
        "Declan Farrow (07700-900-777) brought Pip; O'Sullivan was not there."
    )
    assert text == f"Declan Farrow (07700-900-777) brought Pip; {REDACTED} was not there."


def test_dates_times_and_counts_are_not_taken_for_phone_numbers():
    text = "On 2026-03-14 from 10:00 to 11:30, 3 of 12 toys; case 1234567; 12/03/2026 10 30"
    assert redactor()(text) == text


def test_the_segments_mark_what_the_export_blanks():
    segments = redactor().segments("She moved to Hove (BN3 4AB).")
    assert segments == [
        ("She moved to ", False), ("Hove", True), (" (", False), ("BN3 4AB", True), (").", False),
    ]  # fmt: skip


def test_invisible_characters_do_not_hide_a_name_or_a_number():
    text = redactor()("O\u200b’Sulli\u00advan on 0770\u200b0 900123")
    assert text == f"{REDACTED} on {REDACTED}"


# --- property tests: other people's details in many spellings -----------------------------------

FIRST = ["Siobhan", "Zoë", "Anne-Marie", "Ngozi", "Gráinne"]
LAST = ["O'Sullivan", "D’Arcy", "Smith-Jones", "McAllister", "Ní Bhriain"]
STREETS = ["Elm Grove", "Larkspur Close", "Mill Road", "Station Street"]
TOWNS = ["Hove", "Shoreham", "Burgess Hill", "Haywards Heath"]
FILLER = [
    "mum", "dad", "said", "that", "she", "moved", "to", "near", "the", "contact", "went",
    "well", "new", "number", "is", "lives", "at", "sister", "came", "with", "child",
]  # fmt: skip
APOSTROPHES = ["'", "’", "‘", "`", "ʼ"]
PHONE_SEPARATORS = ["", " ", "  ", "-", ".", " - ", "\u00a0", "–", "\u200b"]


@st.composite
def people(draw) -> dict:
    area = draw(st.sampled_from(["BN", "SW", "M", "EH", "CF", "B"]))
    district = draw(st.integers(1, 29))
    inward = (
        draw(st.integers(0, 9)),
        *draw(st.tuples(*[st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")] * 2)),
    )
    subscriber = draw(st.text(string.digits, min_size=6, max_size=6))
    street = draw(st.sampled_from(STREETS))
    town = draw(st.sampled_from(TOWNS))
    postcode = f"{area}{district} {''.join(map(str, inward))}"
    return {
        "first": draw(st.sampled_from(FIRST)),
        "last": draw(st.sampled_from(LAST)),
        "phone": f"07{draw(st.text(string.digits, min_size=3, max_size=3))} {subscriber}",
        "postcode": postcode,
        "street": street,
        "town": town,
        "address": f"{draw(st.integers(1, 200))} {street}, {town} {postcode}",
    }


def recase(draw, text: str) -> str:
    how = draw(st.sampled_from(["same", "upper", "lower", "title", "random"]))
    if how == "random":
        flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        return "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
    return {"same": text, "upper": text.upper(), "lower": text.lower(), "title": text.title()}[how]


def spell_phone(draw, phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    prefix = draw(st.sampled_from(["0", "+44 ", "+44", "+44 (0)", "0044 "]))
    rest = digits[1:]
    separators = draw(st.lists(st.sampled_from(PHONE_SEPARATORS), min_size=9, max_size=9))
    spelled = rest[0] + "".join(s + d for s, d in zip(separators, rest[1:], strict=True))
    return prefix + spelled


def spell_name(draw, name: str) -> str:
    name = re.sub(r"['’]", lambda _: draw(st.sampled_from(APOSTROPHES)), name)
    name = recase(draw, name)
    return name + draw(st.sampled_from(["", "'s", "’s", "s"]))


def spell_postcode(draw, postcode: str) -> str:
    outward, inward = postcode.split()
    return recase(draw, outward + draw(st.sampled_from(["", " ", "  "])) + inward)


@st.composite
def notes(draw) -> tuple[Adult, str, list[str]]:
    """Another adult, and a note holding their details in many spellings: the note, and the
    spellings that must not survive."""
    person = draw(people())
    adult = Adult(
        first_name=person["first"], last_name=person["last"], address=person["address"],
        phone=person["phone"], email="someone@example.org",
    )  # fmt: skip
    details = [
        spell_phone(draw, person["phone"]),
        spell_postcode(draw, person["postcode"]),
        recase(draw, person["street"]),
        recase(draw, person["town"]),
        spell_name(draw, person["first"]),
        spell_name(draw, person["last"]),
    ]
    chosen = draw(st.lists(st.sampled_from(details), min_size=1, max_size=6))
    words = draw(st.lists(st.sampled_from(FILLER), min_size=len(chosen) + 1, max_size=12))
    glue = [" ", ", ", ". ", "\n", " (", ") ", ": "]
    parts = []
    for n, word in enumerate(words):
        parts.append(word)
        if n < len(chosen):
            parts += [draw(st.sampled_from(glue)), chosen[n], draw(st.sampled_from(glue))]
        else:
            parts.append(" ")
    return adult, "".join(parts), chosen


POSTCODE = re.compile(r"[a-z]{1,2}\d{1,2}\s*\d[a-z]{2}", re.IGNORECASE)


def words(text: str) -> set[str]:
    return set(re.split(r"[\W_]+", text.casefold()))


def holds(text: str, detail: str) -> bool:
    """Whether `text` still holds `detail` in any spelling: a phone's last nine digits, a
    postcode without its space, or any word of three letters or more of a name or place."""
    digits = re.sub(r"\D", "", detail)
    if len(digits) >= 9:
        return digits[-9:] in re.sub(r"\D", "", text)
    if POSTCODE.fullmatch(detail):
        return re.sub(r"\s", "", detail).casefold() in re.sub(r"\s", "", text).casefold()
    return any(len(word) >= 3 and word in words(text) for word in words(detail))


@settings(max_examples=300, deadline=None)
@given(notes())
def test_other_peoples_details_in_any_spelling_never_survive_redaction(note):
    adult, text, details = note
    redacted = Redactor(others=[adult], children=[PIP], own=FATHER)(text)
    for detail in details:
        assert not holds(redacted, detail), (detail, redacted)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=notes())
def test_other_peoples_details_in_any_spelling_never_reach_the_export(cast, fathers, note):
    adult, text, details = note
    mother = fathers.family.adults.get(role=Adult.Role.RESIDENT_PARENT)
    for field in ("first_name", "last_name", "address", "phone"):
        setattr(mother, field, getattr(adult, field))
    mother.save()
    session = fathers.adult.attendances.get().session
    written = SessionNoteFactory(session=session, text=text)
    sar_services.sar_release_item(
        sar=fathers, by=cast.coordinator, item_key=f"session_note:{written.pk}"
    )
    document = json.loads(export_json(sar_export(fathers, by=cast.coordinator)))
    exported = " ".join(str(f["value"]) for item in document["items"] for f in item["fields"])
    for detail in details:
        assert not holds(exported, detail), (detail, text)
    fathers.reviews.all().delete()
    written.delete()
