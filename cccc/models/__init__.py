"""The core's records: centres, users, data keys and policy documents (centre.py), and the
audit trail (audit.py)."""

from cccc.models.audit import AccessLog, AuditCheckpoint, AuditHead, AuditQuerySet
from cccc.models.centre import (
    CENTRE_SETTINGS,
    MIN_KEEP_APART_GAP_MINUTES,
    MIN_RETENTION_YEARS,
    RETENTION_FLOOR,
    Centre,
    DataKey,
    DbsLevel,
    DbsVisibility,
    MembershipUnclear,
    PolicyDocument,
    PolicyVariant,
    Role,
    User,
    UserManager,
)
from cccc.models.membership import Membership, MembershipQuerySet

__all__ = [
    "AccessLog",
    "AuditCheckpoint",
    "AuditHead",
    "AuditQuerySet",
    "CENTRE_SETTINGS",
    "Centre",
    "DataKey",
    "DbsLevel",
    "DbsVisibility",
    "MIN_KEEP_APART_GAP_MINUTES",
    "Membership",
    "MembershipQuerySet",
    "MembershipUnclear",
    "MIN_RETENTION_YEARS",
    "PolicyDocument",
    "PolicyVariant",
    "RETENTION_FLOOR",
    "Role",
    "User",
    "UserManager",
]
