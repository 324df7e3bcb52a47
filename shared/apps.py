"""The shared pieces as a Django app, so that their template filters load by name."""

from __future__ import annotations

from django.apps import AppConfig


class SharedConfig(AppConfig):
    name = "shared"
    verbose_name = "Shared pieces"
