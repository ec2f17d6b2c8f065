from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current TOTP code of each demo account. Development only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Only for development (DEBUG=true).")
        devices = TOTPDevice.objects.filter(
            name="Demo authenticator", user__email__endswith="demo.example"
        ).select_related("user")
        for device in devices.order_by("user__email"):
            code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
            self.stdout.write(f"{device.user.email:<42} {code:0{device.digits}d}")
