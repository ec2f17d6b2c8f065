from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tools.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load demo centres and one login per role (idempotent). Development only."

    def handle(self, *args, **options):
        # Never with DEBUG off, whatever the reason: the demo operator is a superuser whose
        # password this command prints and whose TOTP secret anyone can derive.
        if not settings.DEBUG:
            raise CommandError("Demo data is for development (DEBUG=true) only.")
        logins = load_demo()
        out = self.stdout
        out.write("")
        out.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        out.write(f"{'role':<12} {'email':<42} {'two-factor secret (TOTP)':<34} centre")
        for login in logins:
            secret = login.totp_secret or "-"
            out.write(f"{login.role:<12} {login.email:<42} {secret:<34} {login.centre}")
        out.write("")
        out.write("Two-factor roles: add the secret to an authenticator app, or run `make totp`")
        out.write("for the current codes. Open http://127.0.0.1:8000/ and sign in.")
