"""Model fields shared by the apps."""

from __future__ import annotations

from django.db import models


class URLField(models.URLField):
    """A link column whose form field (the admin's included) reads a bare host such as "github.com/x" as https.

    Django 5.2 assumes http and warns that 6.0 will assume https; every link the hub keeps (code, videos,
    channels, sources) is served over https, so the hub takes 6.0's behaviour now. The column is Django's own:
    migrations record a plain URLField, so that no migration (on SQLite, a table rebuild) is made for a change
    that only concerns forms.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
