from volunteers.models.availability import VolunteerAvailability, Weekday
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
    "VOLUNTEER_KEY", "DbsCheck", "DbsLevel", "DbsOutcome", "DbsReminder", "DbsRiskAssessment",
    "RotaEntry",
    "TrainingRecord", "Volunteer", "VolunteerAvailability", "Weekday",
]  # fmt: skip
