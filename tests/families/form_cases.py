"""What the tests of a family's forms share: an adult's and a child's form data, and a way
to see a write move the family's last activity. The fixture `family` (a family of the home
centre) is in tests/families/conftest.py."""

import datetime

from django.utils import timezone

from families.models import Family

ADULT = {
    "role": "resident", "first_name": "Rowena", "last_name": "Quill",
    "address": "14 Larkspur Close", "phone": "07700 900123", "email": "rowena@example.net",
}  # fmt: skip
CHILD = {"first_name": "Tilly", "last_name": "Quill", "date_of_birth": "2019-03-14", "needs": ""}


def a_while_ago():
    return timezone.now() - datetime.timedelta(days=30)


def aged(family) -> Family:
    """The family as if last used a month ago, so a test can see a write move it."""
    Family.objects.filter(pk=family.pk).update(last_activity=a_while_ago())
    family.refresh_from_db()
    return family


def moved(family) -> bool:
    before = family.last_activity
    family.refresh_from_db()
    return family.last_activity > before
