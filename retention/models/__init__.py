from retention.models.accident import EDIT_WINDOW_HOURS, AccidentEntry
from retention.models.keep import KeepLonger
from retention.models.quarterly import QuarterlyStatistic
from retention.models.register import (
    DestructionRecord,
    MonthlyStatistic,
    RecordType,
    RetentionLock,
    RetentionRun,
)

__all__ = [
    "EDIT_WINDOW_HOURS", "AccidentEntry", "DestructionRecord", "KeepLonger",
    "MonthlyStatistic", "QuarterlyStatistic", "RecordType", "RetentionLock", "RetentionRun",
]  # fmt: skip
