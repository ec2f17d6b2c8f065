from retention.models.accident import EDIT_WINDOW_HOURS, AccidentEntry
from retention.models.keep import KeepLonger
from retention.models.register import (
    DestructionRecord,
    MonthlyStatistic,
    RecordType,
    RetentionLock,
    RetentionRun,
)

__all__ = [
    "EDIT_WINDOW_HOURS", "AccidentEntry", "DestructionRecord", "KeepLonger",
    "MonthlyStatistic", "RecordType", "RetentionLock", "RetentionRun",
]  # fmt: skip
