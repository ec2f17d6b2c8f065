"""Referral intake: a referrer (or the coordinator) refers a new family; the family, its
adults, its children and the referral are created together, and the referrer learns only the
new family reference."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import Role
from families import services
from families.models import Adult, Child, Family, Referral
from tests.factories import FamilyFactory, ReferralFactory, UserFactory
from tests.stored import stored

pytestmark = pytest.mark.django_db


def intake(**overrides) -> dict:
    """A complete intake POST: two parents, one child, the third adult and second child empty."""
    data = {
        "agency_type": "solicitor",
        "agency_name": "Hartley & Shaw LLP",
        "court_order": "Child arrangements order of 3 March, supervised contact.",
        "risk_domestic_abuse": "yes",
        "risk_abduction": "no",
        "risk_substance_misuse": "unknown",
        "risk_mental_health": "no",
        "risk_details": "Non-molestation order against the father until June.",
        "contact_type": "supervised",
        "access_needs": "Polish interpreter for the father.",
        "adults-TOTAL_FORMS": "3",
        "adults-INITIAL_FORMS": "0",
        "adults-MIN_NUM_FORMS": "2",
        "adults-MAX_NUM_FORMS": "10",
        "adults-0-role": "resident",
        "adults-0-first_name": "Wilhelmina",
        "adults-0-last_name": "Quarrington",
        "adults-0-address": "7 Hidden Lane, Chichester",
        "adults-0-phone": "07700 900123",
        "adults-0-email": "wq@example.org",
        "adults-1-role": "non_resident",
        "adults-1-first_name": "Bartholomew",
        "adults-1-last_name": "Quarrington",
        "adults-1-address": "",
        "adults-1-phone": "",
        "adults-1-email": "",
        "adults-2-role": "",
        "adults-2-first_name": "",
        "adults-2-last_name": "",
        "adults-2-address": "",
        "adults-2-phone": "",
        "adults-2-email": "",
        "children-TOTAL_FORMS": "2",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "1",
        "children-MAX_NUM_FORMS": "10",
        "children-0-first_name": "Theodora",
        "children-0-last_name": "Quarrington",
        "children-0-date_of_birth": "2019-05-04",
        "children-0-needs": "Asthma inhaler in her bag.",
        "children-1-first_name": "",
        "children-1-last_name": "",
        "children-1-date_of_birth": "",
        "children-1-needs": "",
    }
    data.update(overrides)
    return data


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the referrer refers a family --------------------------------------------------------------


def test_a_referrer_refers_a_family_with_its_adults_children_and_referral(cast, login):
    before = timezone.now()
    response = login(cast.referrer).post(reverse("referrer_refer"), intake())
    referral = Referral.objects.get()
    family = referral.family
    assert response.url == reverse("referrer_portal")
    assert (family.centre, family.status) == (cast.centre, Family.Status.REFERRED)
    assert (referral.referrer, referral.entered_by) == (cast.referrer, cast.referrer)
    assert referral.status == Referral.Status.PENDING
    assert before <= family.last_activity <= timezone.now()
    adults = {a.role: a for a in Adult.objects.filter(family=family)}
    assert adults["resident"].first_name == "Wilhelmina"
    assert adults["resident"].email == "wq@example.org"
    assert adults["non_resident"].last_name == "Quarrington"
    child = Child.objects.get(family=family)
    assert (child.first_name, child.date_of_birth) == ("Theodora", datetime.date(2019, 5, 4))
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.risk_domestic_abuse == "yes"
    assert referral.access_needs == "Polish interpreter for the father."


def test_the_names_are_stored_encrypted(cast, login):
    login(cast.referrer).post(reverse("referrer_refer"), intake())
    resident = Adult.objects.get(role="resident")
    raw = stored(Adult, resident.pk, "first_name", "last_name")
    assert "Wilhelmina" not in raw[0] and "Quarrington" not in raw[1]
    digest = Adult._meta.get_field("last_name_index").digest("Quarrington")
    assert Adult.objects.filter(last_name_index=digest).count() == 2


def test_the_referrer_is_told_only_the_new_family_reference(cast, login):
    response = login(cast.referrer).post(reverse("referrer_refer"), intake(), follow=True)
    reference = Family.objects.get().reference
    assert flash(response) == [f"Referral received: {reference}"]
    html = response.content.decode()
    for detail in ["Wilhelmina", "Quarrington", "Theodora", "Non-molestation", "Hidden Lane"]:
        assert detail not in html


def test_the_form_is_prefilled_with_the_referrers_agency(cast, login):
    cast.referrer.agency = "Sussex CAFCASS"
    cast.referrer.save()
    html = login(cast.referrer).get(reverse("referrer_refer")).content.decode()
    assert 'value="Sussex CAFCASS"' in html
    assert 'value="resident" selected' in html and 'value="non_resident" selected' in html


def test_it_keeps_what_was_typed_and_asks_for_a_child(cast, login):
    data = intake(
        **{f"children-0-{f}": "" for f in ["first_name", "last_name", "date_of_birth", "needs"]}
    )
    response = login(cast.referrer).post(reverse("referrer_refer"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Name at least one child." in html
    assert 'value="Wilhelmina"' in html and "Non-molestation order" in html
    assert not Family.objects.exists()


def test_it_keeps_what_was_typed_and_explains_an_invalid_email(cast, login):
    response = login(cast.referrer).post(
        reverse("referrer_refer"), intake(**{"adults-1-email": "bart-at-example"})
    )
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="bart-at-example"' in html and 'value="Theodora"' in html
    assert not Referral.objects.exists()


def test_it_keeps_what_was_typed_and_asks_for_a_missing_surname(cast, login):
    response = login(cast.referrer).post(
        reverse("referrer_refer"), intake(**{"adults-0-last_name": ""})
    )
    html = response.content.decode()
    assert "This field is required." in html
    assert 'id="id_adults-0-last_name"' in html and 'value="Wilhelmina"' in html
    assert not Adult.objects.exists()


def test_it_explains_every_error_at_once(cast, login):
    data = intake(
        agency_type="",
        risk_abduction="",
        **{"adults-1-role": "carer", "children-0-date_of_birth": "2019-02-30"},
    )
    html = login(cast.referrer).post(reverse("referrer_refer"), data).content.decode()
    assert html.count("This field is required.") == 4  # by each field, and in the summary
    assert "Enter a real date, for example 2019-03-14." in html  # the one child form's wording
    # The adults' formset rule is checked once each adult is valid on its own.
    data = intake(**{"adults-1-role": "carer"})
    html = login(cast.referrer).post(reverse("referrer_refer"), data).content.decode()
    assert "Name the non-resident parent." in html


def test_it_asks_for_details_of_a_risk_answered_yes(cast, login):
    response = login(cast.referrer).post(reverse("referrer_refer"), intake(risk_details=""))
    assert "Describe the risk behind each answer of yes." in response.content.decode()
    assert not Referral.objects.exists()


def test_it_refuses_a_date_of_birth_in_the_future(cast, login):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(cast.referrer).post(
        reverse("referrer_refer"), intake(**{"children-0-date_of_birth": tomorrow.isoformat()})
    )
    assert "cannot be in the future" in response.content.decode()


def test_a_third_adult_and_a_second_child_may_be_added(cast, login):
    data = intake(
        **{
            "adults-2-role": "visitor",
            "adults-2-first_name": "Gran",
            "adults-2-last_name": "Quarrington",
            "children-1-first_name": "Ivo",
            "children-1-last_name": "Quarrington",
            "children-1-date_of_birth": "2021-01-01",
        }
    )
    login(cast.referrer).post(reverse("referrer_refer"), data)
    family = Family.objects.get()
    assert family.adults.count() == 3 and family.children.count() == 2


def test_each_referral_gets_a_new_reference(cast, login):
    client = login(cast.referrer)
    client.post(reverse("referrer_refer"), intake())
    client.post(reverse("referrer_refer"), intake())
    references = list(Family.objects.values_list("reference", flat=True))
    year = timezone.localdate().year
    assert sorted(references) == [f"HOM-{year}-0001", f"HOM-{year}-0002"]


# --- the coordinator enters a referral -------------------------------------------------------


def test_a_coordinator_enters_a_referral_naming_the_referrer_of_record(cast, login):
    response = login(cast.coordinator).post(
        reverse("referral_create"), intake(referrer=cast.referrer.pk, agency_name="")
    )
    referral = Referral.objects.get()
    assert response.url == reverse("referral_detail", args=[referral.pk])
    assert (referral.referrer, referral.entered_by) == (cast.referrer, cast.coordinator)
    assert referral.family.centre == cast.centre


def test_a_coordinator_enters_a_self_referral_without_a_referrer(cast, login):
    login(cast.coordinator).post(reverse("referral_create"), intake(agency_type="self"))
    referral = Referral.objects.get()
    assert referral.referrer is None
    assert referral.family.adults.count() == 2


def test_the_referrer_of_record_is_one_of_the_centres_active_referrers(cast, login):
    retired = UserFactory(role=Role.REFERRER, centre=cast.centre, is_active=False)
    client = login(cast.coordinator)
    html = client.get(reverse("referral_create")).content.decode()
    assert cast.referrer.full_name in html
    assert cast.other_referrer.full_name not in html and retired.full_name not in html
    for outsider in [cast.other_referrer, retired, cast.volunteer]:
        response = client.post(reverse("referral_create"), intake(referrer=outsider.pk))
        assert "Select a valid choice" in response.content.decode()
        assert 'value="Wilhelmina"' in response.content.decode()
    assert not Referral.objects.exists()


def test_the_service_refuses_a_referrer_of_another_centre(cast):
    with pytest.raises(ValidationError, match="this centre's referrers"):
        services.referral_submit(
            centre=cast.centre,
            entered_by=cast.coordinator,
            referrer=cast.other_referrer,
            referral=Referral(agency_type="solicitor", contact_type="supported"),
            adults=[Adult(role="resident", first_name="A"), Adult(role="non_resident")],
            children=[Child(first_name="C")],
        )
    assert not Family.objects.exists()


def test_the_service_refuses_a_referral_without_a_child_or_a_parent(cast):
    with pytest.raises(ValidationError) as refused:
        services.referral_submit(
            centre=cast.centre,
            entered_by=cast.referrer,
            referrer=cast.referrer,
            referral=Referral(agency_type="solicitor", contact_type="supported"),
            adults=[Adult(role="resident", first_name="A")],
            children=[],
        )
    assert refused.value.messages == ["Name the non-resident parent.", "Name at least one child."]
    assert not Family.objects.exists()


def test_adding_a_referral_for_a_known_family_moves_its_last_activity(cast):
    family = FamilyFactory(centre=cast.centre)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Family.objects.filter(pk=family.pk).update(last_activity=long_ago)
    referral = ReferralFactory.build(family=family, referrer=cast.referrer)
    services.referral_add(family=family, referral=referral, entered_by=cast.coordinator)
    family.refresh_from_db()
    assert family.last_activity > long_ago + datetime.timedelta(days=399)


# --- outsiders -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "chair", "volunteer", "operator"])
def test_only_a_referrer_reaches_the_referral_form(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("referrer_refer")).status_code == 404
    assert client.post(reverse("referrer_refer"), intake()).status_code == 404
    assert not Referral.objects.exists()


@pytest.mark.parametrize("who", ["chair", "volunteer", "referrer", "operator"])
def test_only_a_coordinator_enters_a_referral(cast, login, who):
    client = login(getattr(cast, who))
    assert client.get(reverse("referral_create")).status_code == 404
    assert client.post(reverse("referral_create"), intake()).status_code == 404
    assert not Referral.objects.exists()


def test_a_coordinator_enters_referrals_for_their_own_centre_only(cast, login):
    login(cast.other_coordinator).post(reverse("referral_create"), intake())
    assert Referral.objects.get().family.centre == cast.other_centre


@pytest.mark.parametrize("name", ["referrer_refer", "referral_create"])
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, name):
    for response in [client.get(reverse(name)), client.post(reverse(name), intake())]:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert not Referral.objects.exists()
