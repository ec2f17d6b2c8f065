"""The access log: who looked at which sensitive record, never what they saw."""

from cccc.models import AccessLog, User


def access_log_record(
    *, user: User, action: str, record, detail: str = "", centre=None
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        centre=centre if centre is not None else getattr(record, "centre", None),
        action=action,
        record_type=record._meta.label,
        record_id=record.pk,
        detail=detail,
    )
