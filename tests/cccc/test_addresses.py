"""cccc.addresses.each_address gives what `reverse` gives, for ids and days alike."""

import datetime

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cccc.addresses import each_address


@given(st.integers(min_value=0, max_value=10**12))
def test_each_address_is_what_reverse_gives(pk):
    for name in ("session_detail", "session_rota", "family_detail", "referral_detail"):
        assert each_address(name)(pk) == reverse(name, args=[pk])


def test_a_day_goes_in_as_the_day_page_takes_it():
    day = datetime.date(2026, 12, 3)
    assert each_address("day_view_for")(day.isoformat()) == reverse(
        "day_view_for", args=[day.isoformat()]
    )
