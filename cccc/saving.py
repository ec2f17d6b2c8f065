"""The one way a service writes a record: check it against every rule Django knows (field
validators, choices, constraints), then save it. Every app's services use it."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def validated_save(obj: M) -> M:
    obj.full_clean()
    obj.save()
    return obj
