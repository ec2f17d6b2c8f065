from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """Pages that bring several apps together: the coordinator's dashboard, the chair's
    committee page, the day and week views with volunteer cover. It imports the apps; no app
    imports it."""

    name = "overview"
    verbose_name = "Overview pages"
