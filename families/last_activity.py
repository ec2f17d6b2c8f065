"""A family's last activity (SPEC §8, CHE-DP5): the day its retention clock starts from.

Each write that is *use* of the record (booking, attendance, referral, note, concern, edit)
moves it, through family_touch and only through family_touch (families/services.py,
families/session_services.py and the disclosures); viewing never does, and neither does a
logged reveal of contact details.
"""

from django.utils import timezone

from families.models import Family


def family_touch(family: Family) -> None:
    """Record that the family's record was used now."""
    family.last_activity = timezone.now()
    Family.objects.filter(pk=family.pk).update(last_activity=family.last_activity)
