"""Every PDF the project makes lays out text of any length the forms accept (issue 20, item 1):
a long cell splits across pages instead of failing with reportlab's LayoutError (a 500).

The PDFs: the subject access export (an adult's and a volunteer's), the witness summons
letter, the coordinator's day sheet and an adult's arrangement letter. Each is rendered with
every text field of every record it prints at the longest a form accepts
(tests/cccc/test_form_limits.py keeps every form's text limited), in odd text: emoji,
right-to-left marks, markup characters; NUL bytes where a value is sealed."""

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cccc.fields import (
    FREE_TEXT_MAX_LENGTH,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
)
from cccc.models import Centre, PolicyVariant
from cccc.policies import policy_adopt
from cccc.policy_views import POLICY_TEXT_MAX_LENGTH
from disclosures.legal_forms import RECIPIENT_MAX_LENGTH
from families.models import ContactSession
from tests.disclosures.conftest import review_all
from tests.disclosures.test_summons import flat, pdf_text
from tests.factories import (
    AdultFactory,
    AppointedVolunteerFactory,
    ChildFactory,
    ConcernFactory,
    ConsentGrantFactory,
    ContactSessionFactory,
    DbsCheckFactory,
    DisclosureRequestFactory,
    FamilyFactory,
    ReferralFactory,
    RotaEntryFactory,
    RulesAcknowledgementFactory,
    SessionAttendanceFactory,
    SessionNoteFactory,
    SubjectAccessRequestFactory,
    TrainingRecordFactory,
    WitnessSummonsFactory,
)

pytestmark = pytest.mark.django_db

# Words, a word longer than a line, and odd characters; NUL only in sealed values (a form
# refuses it, and PostgreSQL refuses it in a plain column).
ODD = "🙂 👨‍👩‍👧 \u200fעברית\u200e \u202eRLO\u202c <b>&amp; 'q' \"dq\" "
WORDS = "the quick brown fox jumps over the lazy dog " * 3 + "x" * 90 + " " + ODD


def long_text(length: int, *, sealed: bool) -> str:
    unit = WORDS + ("\x00 " if sealed else "") + "\n"
    return (unit * (length // len(unit) + 1))[: length - 3] + "END"


def longest(field: models.Field) -> int:
    """The longest a form accepts for this field: its own limit, else the free-text one."""
    if isinstance(field, EncryptedCharField):
        return field.form_max_length
    return field.max_length or FREE_TEXT_MAX_LENGTH


def fill(instance: models.Model, *, skip: tuple[str, ...] = ()) -> models.Model:
    """Every free-text field of the record at its longest; choices, codes and the like stay."""
    for field in instance._meta.concrete_fields:
        if (
            field.name in skip
            or not field.editable
            or field.choices
            or not isinstance(field, models.CharField | models.TextField)
            or isinstance(field, models.SlugField | EncryptedDateField)
        ):
            continue
        sealed = field.get_internal_type() == "TextField" and hasattr(field, "key_path")
        if isinstance(field, models.EmailField | EncryptedEmailField):
            value = "a" * (longest(field) - 12) + "@example.org"
        else:
            value = long_text(longest(field), sealed=sealed)
        setattr(instance, field.attname, value)
    instance.save()
    return instance


def test_a_concern_of_five_thousand_characters_no_longer_breaks_the_export(cast, login):
    """The fuzzer's case: 3,621 characters worked, 3,659 failed with a LayoutError."""
    mum = AdultFactory(family=FamilyFactory(centre=cast.centre))
    ConcernFactory(family=mum.family, text=long_text(5_000, sealed=True))
    sar = SubjectAccessRequestFactory(adult=mum, identity_checked_on=timezone.localdate())
    review_all(sar, by=cast.coordinator)  # every item read and released, so all is laid out
    response = login(cast.coordinator).post(reverse("sar_export_pdf", args=[sar.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert text.count("quick brown fox") >= 5_000 // len(WORDS) - 1
    assert "END" in text


def test_an_adults_export_lays_out_every_field_at_its_longest(cast, login):
    family = fill(FamilyFactory(centre=cast.centre), skip=("reference",))
    mum = fill(AdultFactory(family=family))
    dad = fill(AdultFactory(family=family))
    fill(ChildFactory(family=family))
    fill(RulesAcknowledgementFactory(adult=mum), skip=("policy_version",))
    fill(ConsentGrantFactory(adult=mum))
    session = fill(ContactSessionFactory(family=family))
    fill(SessionAttendanceFactory(session=session, adult=mum))
    fill(SessionNoteFactory(session=session))
    fill(ConcernFactory(family=family))
    fill(ReferralFactory(family=family, referrer=cast.referrer))
    fill(DisclosureRequestFactory(family=family, subject_adult=mum))
    sar = SubjectAccessRequestFactory(adult=mum, identity_checked_on=timezone.localdate())
    assert dad.pk  # another adult with long names and addresses, for the redactor
    review_all(sar, by=cast.coordinator)  # every item read and released, so all is laid out
    response = login(cast.coordinator).post(reverse("sar_export_pdf", args=[sar.pk]))
    assert response.status_code == 200
    assert flat(pdf_text(response.content)).count("END") >= 10


def test_a_volunteers_export_lays_out_every_field_at_its_longest(cast, login):
    volunteer = fill(AppointedVolunteerFactory(centre=cast.centre))
    fill(volunteer.user, skip=("email", "password")) if volunteer.user else None
    fill(TrainingRecordFactory(volunteer=volunteer))
    fill(DbsCheckFactory(volunteer=volunteer))
    RotaEntryFactory(volunteer=volunteer)
    sar = SubjectAccessRequestFactory(
        adult=None, volunteer=volunteer, identity_checked_on=timezone.localdate()
    )
    response = login(cast.coordinator).post(reverse("sar_export_pdf", args=[sar.pk]))
    assert response.status_code == 200
    assert flat(pdf_text(response.content)).count("END") >= 3


@pytest.mark.parametrize("variant", [PolicyVariant.CHICHESTER, PolicyVariant.CHESTERFIELD])
def test_the_summons_letter_lays_out_every_field_at_its_longest(cast, login, variant):
    centre = fill(Centre.objects.get(pk=cast.centre.pk), skip=("code", "rules_version"))
    centre.address = long_text(500, sealed=False)
    centre.policy_variant = variant
    centre.save()
    policy_adopt(
        centre=centre, version="2026.9", text=long_text(POLICY_TEXT_MAX_LENGTH, sealed=False),
        adopted_on=timezone.localdate() - datetime.timedelta(days=1), by=cast.chair,
    )  # fmt: skip
    summons = fill(
        WitnessSummonsFactory(centre=centre, family=FamilyFactory(centre=centre), data_key=None)
    )
    summons.recipient = long_text(RECIPIENT_MAX_LENGTH, sealed=False).replace("\n", " ")
    summons.save()
    response = login(cast.chair).get(reverse("summons_letter_pdf", args=[summons.pk]))
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert text.count("quick brown fox") > POLICY_TEXT_MAX_LENGTH // len(WORDS)


def test_the_day_sheet_lays_out_every_field_at_its_longest(cast, login):
    """Issue 17, point 4: the centre's name, a room's name and the volunteers' names at their
    longest, on a day of more sessions than fit on a page."""
    from tests.overview.test_day_sheet import DAY, another, cleared

    centre = fill(Centre.objects.get(pk=cast.centre.pk), skip=("code", "rules_version"))
    field = ContactSession._meta.get_field("room")
    longest_room = field.related_model._meta.get_field("name") if field.is_relation else field
    length = longest_room.max_length
    for n in range(12):
        room = (f"Room {n % 3} " + long_text(length, sealed=False)).replace("\n", " ")[:length]
        session = another(cast, f"{8 + n:02d}:00", f"{8 + n:02d}:30", room)
        for _ in range(2):
            RotaEntryFactory(session=session, volunteer=fill(cleared(cast)))
    response = login(cast.coordinator).get(reverse("day_sheet_pdf", args=[DAY.isoformat()]))
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert text.count("END") >= 12 * 2 * 2  # every volunteer's first and last name, in full
    assert text.count("Room 1 the quick brown") == 1  # each room once, as a heading
    assert centre.name[:40] in text


def test_the_arrangement_letter_lays_out_every_field_at_its_longest(cast, login):
    """Issue 18: the centre's name and address, the adult's names and the room at their
    longest, over many sessions."""
    centre = fill(Centre.objects.get(pk=cast.centre.pk), skip=("code", "rules_version"))
    centre.address = long_text(500, sealed=False)
    centre.save()
    mum = fill(AdultFactory(family=FamilyFactory(centre=centre)))
    for weeks in range(1, 13):
        session = fill(
            ContactSessionFactory(
                family=mum.family,
                date=timezone.localdate() + datetime.timedelta(weeks=weeks),
            ),
            skip=("instructions",),
        )
        SessionAttendanceFactory(session=session, adult=mum)
    response = login(cast.coordinator).get(
        reverse("arrangement_letter_pdf", args=[mum.family.pk, mum.pk])
    )
    assert response.status_code == 200
    text = flat(pdf_text(response.content))
    assert text.count("Arrive at 9:45am") == 12 and "END" in text
