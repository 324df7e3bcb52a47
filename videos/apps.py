"""App configuration of videos."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


def recount_papers(*paper_ids: int | None) -> None:
    """A paper's discussion includes its explainer videos' comments: redo the sum when its videos change."""
    from papers.models import Paper

    Paper.objects.filter(pk__in=[pk for pk in paper_ids if pk is not None]).recount_discussion()


def _link_moving(sender, instance, raw=False, **kwargs) -> None:
    # A link edited to point at another paper (the admin's inline) leaves the old paper with one video fewer.
    instance._paper_before = (
        sender.objects.filter(pk=instance.pk).values_list("paper_id", flat=True).first() if instance.pk else None
    )


def _link_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        recount_papers(instance.paper_id, getattr(instance, "_paper_before", None))


def _link_deleted(sender, instance, **kwargs) -> None:
    recount_papers(instance.paper_id)


class VideosConfig(AppConfig):
    name = "videos"
    verbose_name = "Videos"

    def ready(self) -> None:
        # Links are made and unmade through the admin's inline, the importer, the API and the shell: the signals
        # are the one door they all pass. bulk_create passes none, so the importer calls recount_papers itself.
        link = self.get_model("VideoPaper")
        pre_save.connect(_link_moving, sender=link, dispatch_uid="videopaper_moving")
        post_save.connect(_link_saved, sender=link, dispatch_uid="videopaper_saved")
        post_delete.connect(_link_deleted, sender=link, dispatch_uid="videopaper_deleted")
