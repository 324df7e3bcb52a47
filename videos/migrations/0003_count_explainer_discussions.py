"""Fill papers' discussion_count (papers/0006): each paper's own comments plus those of the videos explaining it."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def count(apps, schema_editor) -> None:
    Paper = apps.get_model("papers", "Paper")
    VideoPaper = apps.get_model("videos", "VideoPaper")
    explained = (
        VideoPaper.objects.filter(paper_id=OuterRef("pk"))
        .order_by()
        .values("paper_id")
        .annotate(total=Sum("video__comment_count"))
        .values("total")
    )
    Paper.objects.update(discussion_count=F("comment_count") + Coalesce(Subquery(explained), Value(0)))


class Migration(migrations.Migration):
    dependencies = [("videos", "0002_search_index"), ("papers", "0006_discussion_count")]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
