from django.apps import AppConfig


class CcccConfig(AppConfig):
    name = "cccc"
    verbose_name = "Centres and users"
