"""Issue 17, point 3, "What was seen": each reproduction as a test.

- Search for "Hollow", the first name "Amira" or "0001": nothing found.
- A new referral for surname "Holloway" made a second family next to the existing Holloway
  family, with no warning.
"""

import datetime

import pytest
from django.urls import reverse

from families import services
from families.models import Adult, Child, Family, Referral
from tests.factories import ReferralFactory
from tests.families.test_referral_intake import intake

pytestmark = pytest.mark.django_db

LIST = reverse("family_list")
SEARCH = reverse("family_search")


def holloways(cast) -> Family:
    """The Holloway family, entered as a referral is: through the service."""
    referral = ReferralFactory.build(referrer=cast.referrer)
    return services.referral_submit(
        centre=cast.centre,
        entered_by=cast.coordinator,
        referrer=cast.referrer,
        referral=referral,
        adults=[
            Adult(role=Adult.Role.RESIDENT_PARENT, first_name="Amira", last_name="Holloway"),
            Adult(role=Adult.Role.NON_RESIDENT_PARENT, first_name="Dean", last_name="Holloway"),
        ],
        children=[
            Child(first_name="Lily", last_name="Holloway", date_of_birth=datetime.date(2019, 5, 4))
        ],
    ).family


def found(client, term: str) -> list[str]:
    response = client.post(SEARCH, {"q": term}, follow=True)
    assert response.status_code == 200
    return [family.reference for family in response.context["page"].object_list]


@pytest.mark.parametrize("term", ["Hollow", "Amira", "0001"])
def test_part_of_a_surname_a_first_name_or_part_of_the_reference_finds_the_family(
    cast, login, term
):
    family = holloways(cast)
    assert family.reference.endswith("-0001")
    assert found(login(cast.coordinator), term) == [family.reference]


def test_a_new_referral_for_the_holloways_warns_of_the_existing_family_before_saving(cast, login):
    family = holloways(cast)
    client = login(cast.coordinator)
    typed = intake(
        **{
            "adults-0-first_name": "Amira",
            "adults-0-last_name": "Holloway",
            "adults-1-first_name": "Dean",
            "adults-1-last_name": "Holloway",
            "children-0-first_name": "Lily",
            "children-0-last_name": "Holloway",
            "children-0-date_of_birth": "2019-05-04",
        }
    )

    response = client.post(reverse("referral_create"), typed)

    assert response.status_code == 200
    assert Family.objects.count() == 1 and Referral.objects.count() == 1
    html = response.content.decode()
    assert reverse("family_detail", args=[family.pk]) in html
    assert family.reference in html
    assert 'value="Amira"' in html  # the form keeps what was typed
