from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Benchmarks and demo data. It depends on every app; nothing depends on it."""

    name = "tools"
    verbose_name = "Benchmarks and demo data"
