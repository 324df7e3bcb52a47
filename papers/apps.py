"""App configuration of papers."""

from __future__ import annotations

from django.apps import AppConfig
from django.urls import register_converter


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers"

    def ready(self) -> None:
        from papers.converters import ArxivIdConverter

        # `<arxiv:arxiv_id>` in any app's URLs: papers' own pages, and the discussion feed of comments.
        register_converter(ArxivIdConverter, "arxiv")
