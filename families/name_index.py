"""Names as the search and the duplicate check see them: normalised, cut into trigrams, and
each piece hashed with the blind-index key (keyed n-gram blind indexes). Pure functions; the
table that holds the hashes is families.models.NameToken, kept in step by
families/search_services.py.

Normalised: case folded, accents and other marks taken off ("Zoë" is "zoe", "Ødegård" is
"odegard"), and everything but letters and digits dropped (apostrophes, hyphens, spaces), so
"O'Brien", "O’Brien" and "OBrien" are one name, as are "Smith-Jones" and "Smith Jones".
Letters of every script are kept as they are.

A person is searchable by two *forms*: their first name then surname, and their surname then
first name, each normalised into one run of letters ("amiraholloway", "hollowayamira"). A
search term of three letters or more finds a person when it is part of either form; its
trigrams are then among the form's, which is what the index can answer without the name.
A term of one or two letters has no trigram: it finds a person only when it *is* one of the
words of their name ("Ng", "Li", "Jo"), through a hash of each such short word.

Each hash is HMAC-SHA256 under BLIND_INDEX_KEY of the purpose, the centre and the piece, cut
to 64 bits: the same trigram gives unrelated hashes in two centres, and in a trigram, a short
word or an identity. Two pieces may share a hash by chance (one in 2**64); the search and the
duplicate check open the candidates' names in memory, so a chance match never shows.
"""

import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings

TRIGRAM = "name trigram"
SHORT_WORD = "name short word"
ADULT = "adult identity"
CHILD = "child identity"

SHORT = 3  # a term shorter than this has no trigram

APOSTROPHES = "'’‘ʼ`´"  # noqa: RUF001 - the typographic ones are the point
# Letters that Unicode does not take apart into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ł": "l", "ŀ": "l", "ı": "i", "ŧ": "t",
     "þ": "th", "æ": "ae", "œ": "oe", "ß": "ss", **dict.fromkeys(APOSTROPHES, "")}
)  # fmt: skip
_SEPARATORS = re.compile(r"[^\w]+|_+")


def _fold(value: str) -> str:
    """Case folded, marks off, the letters above spelled plainly, apostrophes dropped."""
    text = value
    for _ in range(2):  # folding can uncover a mark or a letter folding again ("ẞ", "İ")
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LETTERS)
    return text


def words(value: str) -> list[str]:
    """The words of a name, normalised: "Mary-Ann O'Neil" is ["mary", "ann", "oneil"]
    (hyphens and spaces part words; apostrophes do not)."""
    return [word for word in _SEPARATORS.split(_fold(value)) if word]


def normalise(value: str) -> str:
    """A name, or a search term, as one run of letters and digits."""
    return "".join(words(value))


def trigrams(compact: str) -> set[str]:
    return {compact[i : i + SHORT] for i in range(len(compact) - SHORT + 1)}


def forms(first_name: str, last_name: str) -> tuple[str, str]:
    """The two runs of letters a person is found by: first name then surname, and the
    reverse."""
    return normalise(first_name + last_name), normalise(last_name + first_name)


def short_words(first_name: str, last_name: str) -> set[str]:
    """The words of the name too short for a trigram ("Ng", "Li", the "Jo" of "Jo Ellis"),
    and the whole name if it is that short too."""
    pieces = {*words(f"{first_name} {last_name}"), *forms(first_name, last_name)}
    return {piece for piece in pieces if 0 < len(piece) < SHORT}


def person_matches(term: str, first_name: str, last_name: str) -> bool:
    """Does the normalised term find this person? The check made in memory on each
    candidate the index proposes, so that a chance match of hashes never shows."""
    if len(term) < SHORT:
        return term in short_words(first_name, last_name)
    return any(term in form for form in forms(first_name, last_name))


def identity(first_name: str, last_name: str, born: datetime.date | None = None) -> str:
    """Who a person is for the duplicate check: the normalised name (and for a child, the
    date of birth). "Mary-Ann Smith" and "Maryann Smith" are the same person here."""
    parts = [normalise(first_name), normalise(last_name)]
    if born is not None:
        parts.append(born.isoformat())
    return "|".join(parts)


# --- the hashes -----------------------------------------------------------------------------


def token(purpose: str, centre_id: int, piece: str) -> int:
    """A piece's keyed hash, as a signed 64-bit integer (a PostgreSQL bigint)."""
    message = f"{purpose}\x00{centre_id}\x00{piece}".encode()
    digest = hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def term_tokens(centre_id: int, term: str) -> set[int]:
    """What a normalised search term asks of the index: every one of these hashes."""
    if len(term) < SHORT:
        return {token(SHORT_WORD, centre_id, term)} if term else set()
    return {token(TRIGRAM, centre_id, gram) for gram in trigrams(term)}


def person_tokens(
    centre_id: int, first_name: str, last_name: str, born: datetime.date | None, *, child: bool
) -> set[int]:
    """Every hash that finds this person: the trigrams of both forms, the short words, and
    their identity (an adult by name, a child by name and date of birth)."""
    grams = set().union(*(trigrams(form) for form in forms(first_name, last_name)))
    found = {token(TRIGRAM, centre_id, gram) for gram in grams}
    found |= {token(SHORT_WORD, centre_id, word) for word in short_words(first_name, last_name)}
    if child:
        if born is not None:
            found.add(token(CHILD, centre_id, identity(first_name, last_name, born)))
    elif normalise(first_name) or normalise(last_name):
        found.add(token(ADULT, centre_id, identity(first_name, last_name)))
    return found


def identity_tokens(
    centre_id: int,
    adults: Iterable[tuple[str, str]],
    children: Iterable[tuple[str, str, datetime.date | None]],
) -> set[int]:
    """The identity hashes of people not yet saved, for the duplicate check."""
    found = {
        token(ADULT, centre_id, identity(first, last))
        for first, last in adults
        if normalise(first) or normalise(last)
    }
    found |= {
        token(CHILD, centre_id, identity(first, last, born))
        for first, last, born in children
        if born is not None
    }
    return found
