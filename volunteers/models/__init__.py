from volunteers.models.availability import VolunteerAvailability, Weekday
from volunteers.models.calendar import CalendarFeed, RotaMail
from volunteers.models.dbs import (
    DbsCheck,
    DbsLevel,
    DbsOutcome,
    DbsReminder,
    DbsRiskAssessment,
)
from volunteers.models.rota import RotaEntry
from volunteers.models.volunteer import VOLUNTEER_KEY, TrainingRecord, Volunteer

__all__ = [
    "VOLUNTEER_KEY", "CalendarFeed", "DbsCheck", "DbsLevel", "DbsOutcome", "DbsReminder",
    "DbsRiskAssessment", "RotaEntry", "RotaMail",
    "TrainingRecord", "Volunteer", "VolunteerAvailability", "Weekday",
]  # fmt: skip
