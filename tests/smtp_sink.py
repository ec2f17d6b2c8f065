"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, on a free port, in a thread
of the test process. It keeps every message it accepts, and can refuse chosen recipients
(as a server answering "550 no such user" for a bounced address). It needs nothing outside
the test, so it runs wherever the suite runs, CI included.

`smtp_sink` points Django's EMAIL_* settings at it; `closed_port` at a port nobody listens
on (a mail server that is down)."""

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Sink:
    refuse: set[str] = field(default_factory=set)
    received: list = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 <" + address + ">: no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for rcpt, message in self.received if address in rcpt]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_smtp(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(settings, port)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def closed_port(settings) -> int:
    port = free_port()  # bound, then released: nothing listens there now
    use_smtp(settings, port)
    return port


@pytest.fixture
def retries_in_process():
    """Celery's eager mode, as the tests run tasks, re-raises a task's Retry (the project
    propagates task errors in-process, task_eager_propagates). Here it is switched off, so
    that Celery itself runs each retry in-process, as a worker would after its countdown."""
    from cccc.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        app.conf.task_eager_propagates = before
