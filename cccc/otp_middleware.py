"""django-otp's middleware, with a cheaper read of the session's device (issue 22).

`request.user.otp_device` is the device that verified this session, or None. django-otp reads
the device named in the session on every request through the ORM (`filter(id=...).first()`),
whose query building cost more CPU than the rest of a signed-in request's middleware together.
A TOTP device is read here by its primary key with a fixed raw query, the same row django-otp
would read; every check stays django-otp's own (`_finalize_device`: the device exists, belongs
to this user and is confirmed, or the session's device id is dropped). Any other kind of
device goes through django-otp's own lookup.
"""

from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

_TOTP_LABEL = TOTPDevice.model_label()  # "otp_totp.totpdevice", as in a persistent id
_TOTP_BY_ID = f'SELECT * FROM "{TOTPDevice._meta.db_table}" WHERE "id" = %s'  # noqa: S608


class OTPMiddleware(DjangoOTPMiddleware):
    def _device_from_persistent_id(self, persistent_id: str):
        persistent_id = self._normalize_persistent_id(persistent_id)
        label, _, device_id = persistent_id.rpartition("/")
        if label != _TOTP_LABEL or not (device_id.isascii() and device_id.isdigit()):
            return super()._device_from_persistent_id(persistent_id)
        return next(iter(TOTPDevice.objects.raw(_TOTP_BY_ID, [int(device_id)])), None)
