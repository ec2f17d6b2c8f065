"""Password reset (issue 20, item 6): throttled per address and per client, the mail sent by a
task after the response, and one answer whether or not the address has an account."""

import pytest
from django.core import mail
from django.urls import reverse

from cccc import tasks
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ask(client, email: str, ip: str = "10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_eight_requests_for_one_address_in_a_second_send_at_most_the_throttles_number(
    client, cast, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(8):
            ask(client, cast.referrer.email)
    assert 1 <= len(mail.outbox) <= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS < 8
    assert {tuple(m.to) for m in mail.outbox} == {(cast.referrer.email,)}


def test_the_address_is_throttled_whichever_client_asks(
    client, cast, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            ask(client, cast.referrer.email, ip=f"10.0.1.{n}")
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS


def test_one_client_asking_for_many_addresses_is_throttled(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 4
    users = UserFactory.create_batch(6, role="volunteer", centre=cast.centre)
    with django_capture_on_commit_callbacks(execute=True):
        for user in users:
            ask(client, user.email)
        ask(client, users[0].email, ip="10.0.0.2")  # another client is not held back
    assert [m.to[0] for m in mail.outbox] == [u.email for u in users[:4]] + [users[0].email]


def test_an_unknown_address_gets_the_same_response(client, cast):
    known = ask(client, cast.referrer.email)
    unknown = ask(client, "nobody-at-all@example.org")
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert unknown.content == known.content
    page = client.get(unknown.url).content.decode()
    assert "If the address belongs to an account" in page


def test_a_throttled_request_gets_the_same_response_too(client, cast):
    first = ask(client, cast.referrer.email)
    for _ in range(8):
        last = ask(client, cast.referrer.email)
    assert (last.status_code, last.url, last.content) == (
        first.status_code,
        first.url,
        first.content,
    )


def test_the_mail_waits_for_the_commit_and_the_response_does_not_send_it(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(client, cast.referrer.email)
    assert len(callbacks) == 1 and mail.outbox == []


def test_an_unknown_address_queues_nothing(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(client, "nobody-at-all@example.org")
    assert callbacks == []


def test_the_task_sends_the_link_given_only_the_users_id(cast):
    tasks.password_reset_send.delay(cast.referrer.pk)
    (message,) = mail.outbox
    assert message.to == [cast.referrer.email]
    assert "/accounts/reset/" in message.body and cast.referrer.full_name not in message.body


def test_the_task_sends_nothing_to_an_account_that_cannot_reset(cast):
    cast.volunteer.is_active = False
    cast.volunteer.save()
    invited = UserFactory(role="volunteer", centre=cast.centre)
    invited.set_unusable_password()
    invited.save()
    for user in (cast.volunteer, invited):
        tasks.password_reset_send.delay(user.pk)
    tasks.password_reset_send.delay(10**9)  # gone since it was queued
    assert mail.outbox == []
