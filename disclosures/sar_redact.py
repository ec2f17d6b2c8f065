"""Subject access: finding and blanking other people's data in free text (CHE-DP6).

A safety net, not the rule: every item that can hold someone else's data starts withheld and
is released only by the coordinator's review (disclosures/sar_services.py). What `Redactor`
finds is blanked in the export and highlighted on the review page (`segments`).

It finds, in whatever form they are written:
- other adults' names (first and last, and each part of a hyphenated or apostrophe name), in
  any case, with a straight or typographic apostrophe or none, possessives and plurals too;
  the children's surnames; the centre's volunteers' and users' names (whole in any case, word
  by word only capitalised, so that a volunteer called Will leaves "Dad will collect" alone);
- each part of another adult's address on its own: the street with and without its number
  (and its usual abbreviation: Rd, St, Gr...), the flat, the town, the postcode and its
  outward code;
- any UK postcode, with or without its space, in any case, but the subject's own;
- any phone number but the subject's own, whatever its separators or spacing (digit sequences
  are compared; +44, 0044 and 0 prefixes are the same number), and any other adult's number
  however it is embedded in other digits;
- any email address but the subject's own.
Invisible characters (zero-width spaces, direction marks, soft hyphens, control characters)
hide nothing: they are skipped when matching. A term that is also the subject's own name, or
a first name of the family's children, is left alone: it is theirs too. The known limits are
in the README (*Subject access*).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence

from cccc.models import User
from families.models import Adult, Child
from volunteers.models import Volunteer

REDACTED = "[another person]"

APOSTROPHES = "'’‘`´ʼʹ′"
INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\ufeff]"
)
SEP = r"[\s().\-\u2010-\u2015\u2212]"  # what may separate the digits of a phone number
RUN = re.compile(rf"(?<![\d+])(?:\+{SEP}{{0,2}})?\d+(?:{SEP}{{1,3}}\d+)*")
POSTCODE = re.compile(
    r"(?<![^\W_])([A-Z]{1,2}\d[A-Z\d]?)[^\S\n]*(\d[A-Z]{2})(?![^\W_])", re.IGNORECASE
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
FLAT = re.compile(r"^(?:flat|apartment|apt|unit|room|suite)(?:\.?\s+\w+|\d\w*)\s*", re.IGNORECASE)
HOUSE_NUMBER = re.compile(r"^\d+[a-z]?(?:-\d+[a-z]?)?\s+", re.IGNORECASE)
STREET_ABBREVIATIONS = {
    "road": "rd", "street": "st", "avenue": "ave|av", "lane": "ln", "close": "cl",
    "drive": "dr", "grove": "gr|gro", "crescent": "cres|cr", "court": "ct", "place": "pl",
    "gardens": "gdns", "terrace": "terr|ter|tce", "square": "sq", "park": "pk",
}  # fmt: skip


def _fold(term: str) -> str:
    return re.sub(f"[{APOSTROPHES}]", "'", unicodedata.normalize("NFC", term)).casefold()


def _pattern(term: str, *, street: bool = False) -> str:
    """A term as a regex: any apostrophe or none between its parts, any spaces or hyphens
    between its words, a possessive or plural after it, whole words only."""
    words = [w for w in re.split(r"[\s\-\u2010-\u2015\u2212]+", term) if w]
    parts = []
    for n, word in enumerate(words):
        abbreviation = STREET_ABBREVIATIONS.get(word.casefold()) if street else None
        pieces = [re.escape(p) for p in re.split(f"[{APOSTROPHES}]", word)]
        word_re = rf"(?:[{APOSTROPHES}]|\s)?".join(pieces).replace(r"\.", r"\.?")
        if abbreviation and n == len(words) - 1 and n > 0:
            word_re = rf"(?:{word_re}|(?:{abbreviation})\.?)"
        parts.append(word_re)
    body = r"[\s\-\u2010-\u2015\u2212]*".join(parts)
    return rf"(?<![^\W_]){body}(?:[{APOSTROPHES}]?s)?(?![^\W_])"


def _national(digits: str, international: bool) -> str | None:
    """A phone number's digits as one comparable form, or None if they are not one."""
    if international or digits.startswith("00"):
        digits = digits[2:] if digits.startswith("00") else digits
        if digits.startswith("44"):
            rest = digits[2:] if digits[2:3] == "0" else "0" + digits[2:]
            return rest if len(rest) in (10, 11) else None
        return "+" + digits if 8 <= len(digits) <= 15 else None
    return digits if digits[:1] == "0" and len(digits) in (10, 11) else None


def _phone_digits(phone: str) -> str | None:
    return _national(re.sub(r"\D", "", phone), phone.strip().startswith("+"))


def _address(address: str) -> tuple[set[str], set[str]]:
    """An address's parts: the terms (street with and without number, flat, town...) and
    its postcodes' outward codes (any whole postcode is found by `POSTCODE`)."""
    text = unicodedata.normalize("NFC", address)
    outward = {m.group(1).upper() for m in POSTCODE.finditer(text)}
    terms, streets = set(), set()
    for part in re.split(r"[,\n;]+", POSTCODE.sub(" ", text)):
        part = part.strip(" .")
        if not part:
            continue
        flat = FLAT.match(part)
        if flat:
            terms.add(flat.group().strip())
            part = part[flat.end() :]
        terms.add(part)
        number = HOUSE_NUMBER.match(part)
        if number:
            streets.add(part[number.end() :])
            streets.add(part)
        elif part:
            streets.add(part)
    return terms | streets, outward


class Redactor:
    """Finds other people's names and contact details in free text (`spans`, `segments`) and
    blanks them (`__call__`). `own` are the subject's own names; `own_phones`, `own_emails`
    and the postcodes of `own_addresses` their own contact details, which are never
    blanked. `names` are the centre's volunteers' and users' names."""

    def __init__(
        self,
        *,
        others: Sequence[Adult],
        children: Sequence[Child],
        own: Sequence[str],
        names: Sequence[str] = (),
        own_phones: Iterable[str] = (),
        own_emails: Iterable[str] = (),
        own_addresses: Iterable[str] = (),
    ):
        own_terms = {_fold(o) for o in [*own, *(c.first_name for c in children)] if o}
        people: set[str] = set(names)
        places: set[str] = set()
        self.phones: set[str] = set()
        for adult in others:
            for name in (adult.first_name, adult.last_name):
                people.add(name)
                people |= {p for p in re.split(f"[\\s\\-{APOSTROPHES}]+", name) if len(p) >= 3}
            terms, outward = _address(adult.address)
            places |= terms | outward
            digits = re.sub(r"\D", "", adult.phone)
            if len(digits) >= 9:
                self.phones.add(digits[-9:])
        people |= {child.last_name for child in children}
        self.own_phones = {_phone_digits(p) for p in own_phones if p} - {None}
        self.own_emails = {e.casefold() for e in own_emails if e}
        self.own_postcodes = {
            (m.group(1) + m.group(2)).upper()
            for address in own_addresses
            for m in POSTCODE.finditer(address or "")
        }
        words = {word[:1].upper() + word[1:] for name in names for word in name.split()}
        self.pattern = self._compile(people, places, own_terms, re.IGNORECASE)
        self.words = self._compile(words, set(), own_terms)

    @staticmethod
    def _compile(
        people: set[str], places: set[str], own_terms: set[str], flags: int = 0
    ) -> re.Pattern[str] | None:
        def keep(terms: set[str]) -> list[str]:
            terms = {unicodedata.normalize("NFC", t.strip()) for t in terms if t}
            terms = {t for t in terms if len(t) >= 2 and _fold(t) not in own_terms}
            return sorted(terms, key=len, reverse=True)

        patterns = [_pattern(t) for t in keep(people)]
        patterns += [_pattern(t, street=True) for t in keep(places)]
        return re.compile("|".join(patterns), flags) if patterns else None

    def _phones(self, text: str) -> Iterable[tuple[int, int]]:
        for run in RUN.finditer(text):
            groups = list(re.finditer(r"\d+", run.group()))
            numbers = [g.group() for g in groups]
            digits = "".join(numbers)
            if any(phone in digits for phone in self.phones):
                yield run.start(), run.end()
                continue
            international = run.group().startswith("+")
            i = 0
            while i < len(groups):
                joined, longest = "", None
                for j in range(i, min(len(groups), i + 15)):
                    joined += numbers[j]
                    if len(joined) > 17:
                        break
                    if len(joined) < 8:
                        continue
                    national = _national(joined, international and i == 0)
                    if national and national not in self.own_phones:
                        longest = j
                if longest is None:
                    i += 1
                    continue
                start = run.start() if international and i == 0 else run.start() + groups[i].start()
                yield start, run.start() + groups[longest].end()
                i = longest + 1

    def _postcodes(self, text: str) -> Iterable[tuple[int, int]]:
        for match in POSTCODE.finditer(text):
            if (match.group(1) + match.group(2)).upper() not in self.own_postcodes:
                yield match.span()

    def _emails(self, text: str) -> Iterable[tuple[int, int]]:
        for match in EMAIL.finditer(text):
            if match.group().casefold() not in self.own_emails:
                yield match.span()

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where other people's details are in `text` (normalised to NFC), merged and in
        order. Invisible characters are skipped when matching and blanked with what they
        sit in."""
        visible, index = [], []
        for n, char in enumerate(text):
            if not INVISIBLE.match(char):
                visible.append(char)
                index.append(n)
        clean = "".join(visible)
        found = [*self._phones(clean), *self._postcodes(clean), *self._emails(clean)]
        for pattern in (self.pattern, self.words):
            if pattern is not None:
                found += [m.span() for m in pattern.finditer(clean) if m.end() > m.start()]
        spans: list[tuple[int, int]] = []
        for start, end in sorted(found):
            start, end = index[start], index[end - 1] + 1
            if start > 0 and text[start - 1] == "(" and ")" in text[start:end]:
                start -= 1  # "(07700) 900123"
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans

    def segments(self, text: str) -> list[tuple[str, bool]]:
        """`text` in pieces, each with whether the export blanks it: for the review page."""
        text = unicodedata.normalize("NFC", text or "")
        pieces, at = [], 0
        for start, end in self.spans(text):
            if start > at:
                pieces.append((text[at:start], False))
            pieces.append((text[start:end], True))
            at = end
        if at < len(text):
            pieces.append((text[at:], False))
        return pieces

    def __call__(self, text: str) -> str:
        return "".join(REDACTED if hidden else piece for piece, hidden in self.segments(text))


def redactor_for(adult: Adult, *, others: Sequence[Adult], children: Sequence[Child]) -> Redactor:
    """The redactor of `adult`'s export: other adults' details, the children's surnames, and
    the names of the centre's volunteers and user accounts (who write the notes and
    concerns); the adult's own name and contact details are left alone."""
    centre_id = adult.family.centre_id
    volunteers = Volunteer.objects.filter(centre_id=centre_id).select_related("data_key")
    names = [v.full_name for v in volunteers]  # each decrypted under its own data key
    names += User.objects.filter(memberships__centre_id=centre_id).values_list(
        "full_name", flat=True
    )
    return Redactor(
        others=others,
        children=children,
        own=[adult.first_name, adult.last_name],
        names=names,
        own_phones=[adult.phone],
        own_emails=[adult.email],
        own_addresses=[adult.address],
    )
