"""The referrer's portal: the status of their own referrals, and nothing else about any family
(SPEC §2)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role
from families.models import Referral
from tests.factories import AdultFactory, ChildFactory, FamilyFactory, ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def referral_by(referrer, **fields) -> Referral:
    return ReferralFactory(
        family=FamilyFactory(centre=referrer.centre), referrer=referrer, **fields
    )


def test_a_referrer_sees_the_status_of_their_own_referrals(cast, login):
    waiting = referral_by(cast.referrer, received_on=datetime.date(2026, 1, 5))
    accepted = referral_by(
        cast.referrer,
        status=Referral.Status.ACCEPTED,
        decided_at=timezone.make_aware(datetime.datetime(2026, 2, 9, 11, 0)),
        review_due=datetime.date(2026, 8, 9),
    )
    html = login(cast.referrer).get(reverse("referrer_portal")).content.decode()
    assert waiting.family.reference in html and accepted.family.reference in html
    assert "5 Jan 2026" in html
    assert "Waiting for a decision" in html
    assert "Accepted" in html and "9 Feb 2026" in html


def test_a_referral_the_coordinator_entered_for_the_referrer_is_listed(cast, login):
    referral = ReferralFactory(
        family=FamilyFactory(centre=cast.centre),
        referrer=cast.referrer,
        entered_by=cast.coordinator,
    )
    html = login(cast.referrer).get(reverse("referrer_portal")).content.decode()
    assert referral.family.reference in html


def test_another_referrers_referrals_are_not_listed_even_in_the_same_centre(cast, login):
    colleague = UserFactory(role=Role.REFERRER, centre=cast.centre)
    theirs = referral_by(colleague)
    other_centres = referral_by(cast.other_referrer)
    coordinators = ReferralFactory(
        family=FamilyFactory(centre=cast.centre), referrer=None, entered_by=cast.coordinator
    )
    mine = referral_by(cast.referrer)
    html = login(cast.referrer).get(reverse("referrer_portal")).content.decode()
    assert mine.family.reference in html
    for hidden in [theirs, other_centres, coordinators]:
        assert hidden.family.reference not in html


def test_the_portal_never_shows_names_reasons_or_risk_answers(cast, login):
    declined = referral_by(
        cast.referrer,
        status=Referral.Status.DECLINED,
        decided_at=timezone.now(),
        decline_reason="Zanzibar-reason: the father is barred by order",
        risk_details="Xylophone-risk: threats made in March",
        court_order="Quokka-order of the family court",
        access_needs="Yodel-needs: wheelchair",
        risk_abduction="yes",
    )
    AdultFactory(family=declined.family, first_name="Persephone", last_name="Vanderbilt")
    ChildFactory(family=declined.family, first_name="Ptolemy", last_name="Vanderbilt")
    html = login(cast.referrer).get(reverse("referrer_portal")).content.decode()
    assert declined.family.reference in html and "Declined" in html
    for secret in ["Zanzibar", "Xylophone", "Quokka", "Yodel", "Persephone", "Ptolemy",
                   "Vanderbilt", "Domestic abuse", "abduction", "Supervised"]:  # fmt: skip
        assert secret not in html


def test_the_portal_links_to_the_referral_form(cast, login):
    html = login(cast.referrer).get(reverse("referrer_portal")).content.decode()
    assert f'href="{reverse("referrer_refer")}"' in html


def test_the_portal_takes_the_same_number_of_queries_for_many_referrals(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.referrer)
    referral_by(cast.referrer)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("referrer_portal"))
    for _ in range(8):
        referral_by(cast.referrer, status=Referral.Status.DECLINED, decided_at=timezone.now())
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("referrer_portal")).content.decode()
    assert html.count("Declined") == 8


# --- outsiders -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "chair", "volunteer", "operator"])
def test_only_referrers_reach_the_portal(cast, login, who):
    assert login(getattr(cast, who)).get(reverse("referrer_portal")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(reverse("referrer_portal"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_referrers_pages_carry_no_inline_script_or_style(cast, login):
    referral_by(cast.referrer)
    client = login(cast.referrer)
    for url in [reverse("referrer_portal"), reverse("referrer_refer")]:
        html = client.get(url).content.decode()
        assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html)), url
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert "style=" not in html, url
