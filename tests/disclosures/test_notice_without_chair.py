"""Break-glass and "required by law" releases work without a chair (issue 14, point 2): their
notice then goes to the network safeguarding contact the operator sets for the installation,
and the screen and the release page say truthfully who was told."""

import pytest
from django.core import mail
from django.urls import reverse

from cccc.models import User
from tests.disclosures.conftest import SECRETS
from tests.disclosures.test_break_glass import REASON, form_data

pytestmark = pytest.mark.django_db

CONTACT = "safeguarding@network.example.org"
TOLD_CHAIR = "The chair has been told."
TOLD_CONTACT = "The centre has no active chair: the network safeguarding contact has been told."
TOLD_NOBODY = "Nobody has been told: the centre has no active chair"


def release(login, cast, family, capture):
    with capture(execute=True):
        return login(cast.coordinator).post(
            reverse("break_glass", args=[family.pk]), form_data(), follow=True
        )


def test_with_a_chair_the_screen_says_the_chair_was_told_and_the_chair_was_emailed(
    cast, login, family, settings, django_capture_on_commit_callbacks
):
    settings.SAFEGUARDING_CONTACT_EMAIL = CONTACT
    html = release(login, cast, family, django_capture_on_commit_callbacks).content.decode()
    assert TOLD_CHAIR in html
    assert "Notice sent to the chair" in html  # the release page
    assert [m.to for m in mail.outbox] == [[cast.chair.email]]


def test_without_a_chair_the_safeguarding_contact_is_told_and_the_screen_says_so(
    cast, login, family, mum, settings, django_capture_on_commit_callbacks
):
    """What was seen: with the chair deactivated, the screen said "the chair has been told",
    the release page that the centre had no chair account, and no email was sent."""
    settings.SAFEGUARDING_CONTACT_EMAIL = CONTACT
    User.objects.filter(pk=cast.chair.pk).update(is_active=False)
    html = release(login, cast, family, django_capture_on_commit_callbacks).content.decode()
    assert TOLD_CHAIR not in html
    assert TOLD_CONTACT in html
    assert "Notice sent to the network safeguarding contact" in html
    (notice,) = mail.outbox
    assert notice.to == [CONTACT]
    text = notice.subject + notice.body
    assert cast.centre.name in text
    for secret in [*SECRETS, REASON, "Sam Social", family.reference, cast.coordinator.full_name]:
        assert secret not in text


def test_without_a_chair_or_a_contact_the_screen_says_nobody_was_told(
    cast, login, family, settings, django_capture_on_commit_callbacks
):
    settings.SAFEGUARDING_CONTACT_EMAIL = ""
    User.objects.filter(pk=cast.chair.pk).update(is_active=False)
    html = release(login, cast, family, django_capture_on_commit_callbacks).content.decode()
    assert TOLD_NOBODY in html and TOLD_CHAIR not in html
    assert "No notice was sent" in html
    assert not mail.outbox
