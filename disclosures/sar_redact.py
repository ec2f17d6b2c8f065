"""Subject access: blanking other people's data in free text (CHE-DP6).

Free text in an export (session notes, concerns, referrals) is passed through `Redactor`, which
blanks other adults' names and contact details, the children's surnames, and the names of the
centre's volunteers and user accounts (staff, volunteers, referrers) wherever they occur; text it
cannot separate is for the coordinator to withhold as another person's data
(disclosures/sar_services.py, `sar_withhold`).
"""

import re
from collections.abc import Sequence

from families.models import Adult, Child

REDACTED = "[another person]"


class Redactor:
    """Blanks other people's names and contact details in free text. Whole words for names,
    any case; a phone also without its spaces. `names` are the centre's volunteers' and users'
    names (who write the notes and concerns): blanked whole in any case, and word by word only
    as a name is written, capitalised, so that a volunteer called Will or a coordinator called
    May Day leaves "Dad will collect" alone. A term that is also the subject's own name, or a
    first name of the family's children, is left alone: it is theirs too."""

    def __init__(
        self,
        *,
        others: list[Adult],
        children: list[Child],
        own: list[str],
        names: Sequence[str] = (),
    ):
        own_terms = {o.casefold() for o in [*own, *(c.first_name for c in children)] if o}
        terms: set[str] = set(names)
        for adult in others:
            terms |= {adult.first_name, adult.last_name, adult.email, adult.phone}
            terms.add(adult.phone.replace(" ", ""))
            terms |= set(re.split(r"[,\n]", adult.address))
        terms |= {child.last_name for child in children}
        words = {word[:1].upper() + word[1:] for name in names for word in name.split()}
        self.pattern = self._compile(terms, own_terms, re.IGNORECASE)
        self.words = self._compile(words, own_terms)

    @staticmethod
    def _compile(terms: set[str], own_terms: set[str], flags=0) -> re.Pattern | None:
        terms = {t.strip() for t in terms if t and len(t.strip()) >= 2}
        terms = {t for t in terms if t.casefold() not in own_terms}
        patterns = [
            (r"\b" if t[0].isalnum() else "") + re.escape(t) + (r"\b" if t[-1].isalnum() else "")
            for t in sorted(terms, key=len, reverse=True)
        ]
        return re.compile("|".join(patterns), flags) if patterns else None

    def __call__(self, text: str) -> str:
        for pattern in (self.pattern, self.words):
            if text and pattern is not None:
                text = pattern.sub(REDACTED, text)
        return text
