"""The referral form lists its errors at the top, in the order of the page, each linking to
the field it is about (GOV.UK's error summary), and keeps what was typed."""

import re

import pytest
from django.urls import reverse

from families.models import Family
from tests.families.test_referral_intake import intake

pytestmark = pytest.mark.django_db


def summary(html: str) -> list[tuple[str, str]]:
    """(link target, text) for each error in the summary; target "" for an unlinked one."""
    box = re.search(r"<div[^>]*data-error-summary[^>]*>(.*?)</ul>", html, re.S)
    assert box, "no error summary on the page"
    items = re.findall(r"<li>(.*?)</li>", box.group(1), re.S)
    found = []
    for item in items:
        link = re.match(r'<a href="#([^"]+)">(.*)</a>$', item.strip(), re.S)
        found.append((link.group(1), link.group(2)) if link else ("", item.strip()))
    return found


def ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_it_lists_every_error_at_the_top_with_a_link_to_its_field(cast, login):
    data = intake(
        court_order="x" * 5001,
        risk_abduction="",
        **{"adults-1-first_name": "", "adults-0-email": "not an email"},
    )
    response = login(cast.referrer).post(reverse("referrer_refer"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert summary(html) == [
        (
            "id_court_order",
            "Court order details: This is limited to 5000 characters (it has 5001). Shorten it.",
        ),
        ("id_risk_abduction_0", "Is there a risk of abduction? This field is required."),
        ("id_adults-0-email", "Adult 1, email address: Enter a valid email address."),
        ("id_adults-1-first_name", "Adult 2, first name: This field is required."),
    ]
    assert {target for target, _ in summary(html)} <= ids(html)
    # What was typed is kept, the summary first on the page after the heading.
    assert 'value="Wilhelmina"' in html and "Non-molestation order" in html
    assert html.index("There is a problem") < html.index('name="agency_type"')
    assert not Family.objects.exists()


def test_an_error_of_the_adults_as_a_whole_links_to_the_adults(cast, login):
    data = intake(**{"adults-1-role": "visitor"})
    html = login(cast.referrer).post(reverse("referrer_refer"), data).content.decode()
    assert ("adults", "Name the non-resident parent.") in summary(html)
    assert "adults" in ids(html)


def test_a_missing_child_links_to_the_children(cast, login):
    data = intake(
        **{f"children-0-{f}": "" for f in ["first_name", "last_name", "date_of_birth", "needs"]}
    )
    html = login(cast.referrer).post(reverse("referrer_refer"), data).content.decode()
    assert summary(html) == [
        ("id_children-0-first_name", "Child 1, first name: This field is required."),
        ("id_children-0-last_name", "Child 1, surname: This field is required."),
        ("id_children-0-date_of_birth", "Child 1, date of birth: This field is required."),
        ("children", "Name at least one child."),
    ]
    assert "children" in ids(html)


def test_the_coordinators_referral_form_has_the_summary_too(cast, login):
    html = (
        login(cast.coordinator)
        .post(reverse("referral_create"), intake(court_order="x" * 5001))
        .content.decode()
    )
    [(target, text)] = summary(html)
    assert target == "id_court_order" and text.startswith("Court order details: ")


def test_a_form_shown_for_the_first_time_has_no_summary(cast, login):
    html = login(cast.referrer).get(reverse("referrer_refer")).content.decode()
    assert "data-error-summary" not in html and "There is a problem" not in html
