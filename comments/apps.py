"""App configuration of comments."""

from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


def _before_member_deleted(sender, instance, **kwargs) -> None:
    from comments.services import member_depart

    member_depart(member=instance)


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments and notes"

    def ready(self) -> None:
        # The user model is Django's, and members are deleted through several doors (the admin's delete page and
        # bulk action, a shell, a management command). pre_delete is the one hook they all pass, so it is where
        # their words are kept for the others: the rule itself is the service's (comments.services.member_depart).
        pre_delete.connect(_before_member_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="member_depart")
