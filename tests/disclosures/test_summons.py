"""Witness summons (CHE-WS): recorded by the coordinator or the chair, the chair told at once
by an email without personal data and on the committee page; the letter to the court names
the court and case number, explains the policy and why volunteers do not give evidence,
quotes the centre's current policy and asks that the summons be set aside (page and PDF);
the checklist; an open summons is a legal hold."""

import base64
import datetime
import re
import zlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cccc.models import PolicyVariant
from cccc.policies import policy_adopt
from disclosures import summons_services
from disclosures.models import WitnessSummons
from tests.factories import (
    AppointedVolunteerFactory,
    CentreFactory,
    FamilyFactory,
    UserFactory,
    WitnessSummonsFactory,
)
from tests.stored import stored

pytestmark = pytest.mark.django_db

CASE = "BN26P00417"
NOTES = "Gorse-notes: the mother's solicitor asked for it"
POLICY_TEXT = """Confidentiality policy of the Home Centre

1. (CHI-4.1) Nothing about a family leaves the centre.
2. (CHI-4.3) Volunteers give no reports for family court proceedings. Marmoset-clause.

Review (CHI-note). Every year."""


# --- reading our own PDFs -------------------------------------------------------------------

STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(raw: bytes) -> str:
    def one(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return ESCAPE.sub(one, raw).decode("cp1252", errors="replace")


def pdf_text(data: bytes) -> str:
    """The strings drawn on a reportlab PDF's pages, one per line: each content stream is
    decoded (ASCII85, then zlib) and its `(...) Tj` strings unescaped. Not a general PDF
    reader; enough to prove what our own PDFs do and do not print."""
    assert data.startswith(b"%PDF")
    lines = []
    for match in STREAM.finditer(data):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw, adobe=True)
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            continue
        lines += [_unescape(shown) for shown in SHOWN.findall(raw)]
    assert lines, "no text found in the PDF"
    return "\n".join(lines)


def flat(text: str) -> str:
    """Lines joined with spaces, for phrases a paragraph may wrap."""
    return " ".join(text.split())


# --- recording and telling the chair ---------------------------------------------------------


def record(cast, **fields):
    values = {
        "centre": cast.centre, "by": cast.coordinator, "court": "Family Court at Brighton",
        "case_number": CASE, "received_on": timezone.localdate(), "served": "centre",
        "recipient": "The Family Court at Brighton\n1 Edward Street\nBrighton BN2 0JD",
        "hearing_on": timezone.localdate() + datetime.timedelta(days=20),
    } | fields  # fmt: skip
    return summons_services.summons_record(**values)


def test_recording_a_summons_tells_the_centres_chair_at_once_without_personal_data(
    cast, django_capture_on_commit_callbacks
):
    family = FamilyFactory(centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        summons = record(cast, family=family, notes=NOTES)
    assert summons.chair_notified_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cast.chair.email]
    text = message.subject + message.body
    assert "witness summons" in text.lower() and cast.centre.name in text
    for private in (CASE, "Brighton", family.reference, "Gorse-notes", "Edward Street"):
        assert private not in text


def test_a_centre_without_a_chair_still_records_the_summons_and_the_page_says_so(
    login, django_capture_on_commit_callbacks
):
    centre = CentreFactory()
    coordinator = UserFactory(centre=centre)
    with django_capture_on_commit_callbacks(execute=True):
        summons = summons_services.summons_record(
            centre=centre, by=coordinator, court="Court", case_number="X1",
            received_on=timezone.localdate(), served="centre", recipient="Court",
        )  # fmt: skip
    assert summons.chair_notified_at is None and mail.outbox == []
    html = login(coordinator).get(reverse("summons_detail", args=[summons.pk])).content.decode()
    assert "no chair account to notify" in html


def test_the_chair_sees_open_summonses_on_the_committee_page_and_not_closed_ones(cast, login):
    open_one = WitnessSummonsFactory(centre=cast.centre, court="Court of Aardvarks")
    WitnessSummonsFactory(
        centre=cast.centre, court="Court of Closed Things", outcome="set_aside",
        closed_at=timezone.now(),
    )  # fmt: skip
    WitnessSummonsFactory(centre=cast.other_centre, court="Court of Elsewhere")
    html = login(cast.chair).get(reverse("committee")).content.decode()
    assert reverse("summons_detail", args=[open_one.pk]) in html
    assert "Court of Aardvarks" in html
    assert "Court of Closed Things" not in html and "Court of Elsewhere" not in html
    assert "Nothing needs the chair" not in html


def test_the_coordinators_dashboard_lists_open_summonses(cast, login):
    summons = WitnessSummonsFactory(centre=cast.centre)
    html = login(cast.coordinator).get(reverse("dashboard")).content.decode()
    assert reverse("summons_detail", args=[summons.pk]) in html


def test_the_chair_records_a_summons_served_on_a_volunteer_through_the_form(
    cast, login, django_capture_on_commit_callbacks
):
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    family = FamilyFactory(centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.chair).post(
            reverse("summons_create"),
            {
                "court": "Family Court at Brighton", "case_number": CASE,
                "received_on": timezone.localdate().isoformat(), "served": "volunteer",
                "volunteer": volunteer.pk, "recipient": "The court", "notes": NOTES,
                "family_reference": family.reference.lower(),
            },
        )  # fmt: skip
    summons = WitnessSummons.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("summons_detail", args=[summons.pk])
    assert (summons.family, summons.volunteer, summons.notes) == (family, volunteer, NOTES)
    assert summons.data_key_id is None  # sealed under the family's key
    assert len(mail.outbox) == 1


def test_the_case_number_and_notes_are_sealed_at_rest(cast):
    summons = record(cast, notes=NOTES)
    raw = stored(WitnessSummons, summons.pk, "case_number", "notes")
    assert CASE not in raw[0] and "Gorse" not in raw[1]
    assert WitnessSummons.objects.get(pk=summons.pk).case_number == CASE


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"received_on": "2999-01-01"}, "received_on", "cannot be received in the future"),
        ({"received_on": "31/02/2026"}, "received_on", "Enter a date like"),
        ({"hearing_on": "2000-01-01"}, "hearing_on", "cannot be before the summons"),
        ({"family_reference": "HOM-2026-9999"}, "family_reference", "No family of this centre"),
        ({"family_reference": "not a ref"}, "family_reference", "does not look like"),
        ({"served": "centre", "volunteer": "__volunteer__"}, "volunteer", "only when"),
        ({"volunteer": "999999", "served": "volunteer"}, "volunteer", "Select a valid choice"),
    ],
)
def test_the_form_explains_every_error_and_keeps_what_was_typed(
    cast, login, fields, field, message
):
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    data = {
        "court": "Court of Typed Things", "case_number": CASE,
        "received_on": timezone.localdate().isoformat(), "served": "centre",
        "recipient": "The court",
    } | fields  # fmt: skip
    if data.get("volunteer") == "__volunteer__":
        data["volunteer"] = volunteer.pk
    response = login(cast.coordinator).post(reverse("summons_create"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Court of Typed Things" in response.content.decode()
    assert not WitnessSummons.objects.exists()


def test_a_volunteer_of_another_centre_cannot_be_named(cast):
    stranger = AppointedVolunteerFactory(centre=cast.other_centre)
    with pytest.raises(ValidationError) as caught:
        record(cast, served="volunteer", volunteer=stranger)
    assert "this centre's volunteers" in str(caught.value)


def test_a_family_of_another_centre_cannot_be_linked(cast):
    with pytest.raises(ValidationError):
        record(cast, family=FamilyFactory(centre=cast.other_centre))


# --- the letter -------------------------------------------------------------------------------


@pytest.fixture
def adopted(cast):
    cast.centre.address = "The Old School\n2 Church Lane\nNewtown NT1 1AA"
    cast.centre.save()
    return policy_adopt(
        centre=cast.centre, version="2026.2", text=POLICY_TEXT,
        adopted_on=timezone.localdate() - datetime.timedelta(days=10), by=cast.chair,
    )  # fmt: skip


def test_the_letter_page_names_the_court_and_case_and_quotes_the_current_policy(
    cast, login, adopted
):
    policy_adopt(
        centre=cast.centre, version="2027.1", text="A future policy. Ocelot-clause.",
        adopted_on=timezone.localdate() + datetime.timedelta(days=30), by=cast.chair,
    )  # fmt: skip
    summons = record(cast)
    response = login(cast.chair).get(reverse("summons_letter", args=[summons.pk]))
    html = response.content.decode()
    assert "Family Court at Brighton" in html and CASE in html
    assert "2 Church Lane" in html and cast.centre.name in html
    assert "1 Edward Street" in html  # addressed to the court
    assert "Marmoset-clause" in html and "version 2026.2" in html
    assert "Ocelot-clause" not in html  # not adopted yet: not the current policy
    assert "respectfully ask that the witness summons be set aside" in html
    assert "Our volunteers do not give evidence because" in html
    assert "(clause CHI-4.3)" in html


def test_the_pdf_letter_says_the_same_and_is_an_attachment_named_by_id(cast, login, adopted):
    summons = record(cast)
    response = login(cast.coordinator).get(reverse("summons_letter_pdf", args=[summons.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="summons-{summons.pk}-letter.pdf"'
    )
    text = pdf_text(response.content)
    assert "Family Court at Brighton" in text and CASE in text
    assert "2 Church Lane" in text and cast.centre.name in text
    assert "Marmoset-clause" in flat(text)
    assert "set aside" in flat(text) and "CHI-4.3" in text


def test_without_an_adopted_policy_the_letter_quotes_the_clauses_of_the_centres_variant(
    cast, login
):
    chichester = record(cast)
    html = login(cast.chair).get(reverse("summons_letter", args=[chichester.pk])).content.decode()
    assert "CHI-4.3: Volunteers must not provide verbal or written reports" in html
    other = summons_services.summons_record(
        centre=cast.other_centre, by=cast.other_chair, court="Derby Family Court",
        case_number="DE1", received_on=timezone.localdate(), served="volunteer",
        recipient="Derby Family Court",
    )  # fmt: skip
    assert cast.other_centre.policy_variant == PolicyVariant.CHESTERFIELD
    response = login(cast.other_chair).get(reverse("summons_letter_pdf", args=[other.pk]))
    text = flat(pdf_text(response.content))
    assert "CHE-3: Volunteers must not make verbal or written reports" in text
    assert "CHE-WS" in text and "(clause CHE-3)" in text
    assert "served on one of the centre's volunteers" in text


def test_markup_typed_into_the_summons_prints_as_typed(cast, login):
    summons = record(cast, court="Court <b>& Sons</b>", recipient="A & B <Solicitors>")
    response = login(cast.chair).get(reverse("summons_letter_pdf", args=[summons.pk]))
    text = "".join(pdf_text(response.content).split("\n"))
    assert "Court <b>& Sons</b>" in text and "A & B <Solicitors>" in text


# --- the checklist and the hold --------------------------------------------------------------


def test_the_checklist_records_the_letter_naccc_and_the_solicitor(cast, login):
    summons = WitnessSummonsFactory(centre=cast.centre)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(cast.chair).post(
        reverse("summons_checklist", args=[summons.pk]),
        {"letter_produced": "on", "naccc_informed_on": yesterday.isoformat(),
         "solicitor_consulted_on": timezone.localdate().isoformat(), "outcome": "pending"},
    )  # fmt: skip
    assert response.status_code == 302
    summons.refresh_from_db()
    assert summons.letter_produced_at is not None
    assert summons.naccc_informed_on == yesterday
    assert summons.solicitor_consulted_on == timezone.localdate()
    assert summons.closed_at is None


def test_closing_needs_the_courts_answer(cast, login):
    summons = WitnessSummonsFactory(centre=cast.centre)
    response = login(cast.chair).post(
        reverse("summons_checklist", args=[summons.pk]), {"outcome": "pending", "close": "on"}
    )
    assert response.status_code == 200
    assert "Record the court's answer" in response.context["form"].errors["outcome"][0]
    summons.refresh_from_db()
    assert summons.closed_at is None


def test_a_checklist_date_in_the_future_is_refused(cast, login):
    summons = WitnessSummonsFactory(centre=cast.centre)
    response = login(cast.chair).post(
        reverse("summons_checklist", args=[summons.pk]),
        {"outcome": "pending", "naccc_informed_on": "2999-01-01"},
    )
    assert "cannot be done in the future" in response.content.decode()
    summons.refresh_from_db()
    assert summons.naccc_informed_on is None


def test_an_open_summons_is_a_legal_hold_on_its_family_and_volunteer_until_closed(cast):
    family = FamilyFactory(centre=cast.centre)
    volunteer = AppointedVolunteerFactory(centre=cast.centre)
    summons = WitnessSummonsFactory(
        centre=cast.centre, family=family, served="volunteer", volunteer=volunteer
    )
    holding = WitnessSummons.objects.holding()
    assert list(holding.filter(family_id__in=[family.pk]).values_list("family_id", "pk")) == [
        (family.pk, summons.pk)
    ]
    assert holding.filter(volunteer_id=volunteer.pk).exists()
    summons_services.summons_checklist_update(
        summons=summons, by=cast.chair, outcome="set_aside", close=True
    )
    assert not WitnessSummons.objects.holding().filter(family=family).exists()
    assert WitnessSummons.objects.closed().filter(family=family).exists()


def test_a_closed_summons_cannot_be_changed(cast):
    summons = WitnessSummonsFactory(
        centre=cast.centre, outcome="withdrawn", closed_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        summons_services.summons_checklist_update(
            summons=summons, by=cast.chair, letter_produced=True
        )


def test_the_checklist_keeps_a_step_recorded_since_the_page_was_read(cast):
    summons = WitnessSummonsFactory(centre=cast.centre)
    stale = WitnessSummons.objects.get(pk=summons.pk)  # another tab, read before the update
    informed = timezone.localdate()
    summons_services.summons_checklist_update(
        summons=summons, by=cast.chair, naccc_informed_on=informed
    )
    summons_services.summons_checklist_update(summons=stale, by=cast.chair, letter_produced=True)
    summons.refresh_from_db()
    assert summons.naccc_informed_on == informed
    assert summons.letter_produced_at is not None


def test_the_summons_list_costs_the_same_with_many_summonses(
    cast, login, django_assert_max_num_queries
):
    client = login(cast.chair)
    WitnessSummonsFactory(centre=cast.centre, family=FamilyFactory(centre=cast.centre))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("summons_list"))
    for _ in range(6):
        WitnessSummonsFactory(centre=cast.centre, family=FamilyFactory(centre=cast.centre))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("summons_list")).content.decode()
    assert html.count("Family Court at Brighton") == 7


def test_a_naccc_centre_without_a_policy_quotes_the_specimens_clauses(login):
    centre = CentreFactory(policy_variant=PolicyVariant.NACCC)
    chair = UserFactory(role="chair", centre=centre)
    summons = summons_services.summons_record(
        centre=centre, by=chair, court="Leeds Family Court", case_number="LS1",
        received_on=timezone.localdate(), served="centre", recipient="Leeds Family Court",
    )  # fmt: skip
    html = login(chair).get(reverse("summons_letter", args=[summons.pk])).content.decode()
    assert "NAC-2: Volunteers must not make verbal or written reports" in html
    assert "NAC-WS" in html and "(clause NAC-2)" in html
    assert "CHE-" not in html and "CHI-" not in html
