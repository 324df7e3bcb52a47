"""Issue 13: a comment's up- and down-votes counted on its row, for the "best" sort (a Wilson bound per row).

The counts are filled from the votes already cast. On SQLite, adding NOT NULL columns rebuilds the comments table,
which drops the reply-target triggers of 0002; as in 0003 and 0004 they are dropped before and written again after.
"""

import importlib

from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

_reply_target = importlib.import_module("comments.migrations.0002_comment_reply_target_trigger")


def _drop_sqlite_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _reply_target.drop_trigger(apps, schema_editor)


def _create_sqlite_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _reply_target.create_trigger(apps, schema_editor)


def _fill_vote_counts(apps, schema_editor) -> None:
    """Each comment's up- and down-votes from its Vote rows: one UPDATE over the table."""
    Comment = apps.get_model("comments", "Comment")
    Vote = apps.get_model("comments", "Vote")

    def counted(value: int):
        votes = Vote.objects.filter(comment=OuterRef("pk"), value=value).order_by().values("comment")
        return Coalesce(Subquery(votes.annotate(n=Count("pk")).values("n")), 0)

    voted = Q(pk__in=Vote.objects.values("comment"))
    Comment.objects.using(schema_editor.connection.alias).filter(voted).update(
        up_votes=counted(1), down_votes=counted(-1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_types_answers_revisions_anchors"),
    ]

    operations = [
        migrations.RunPython(_drop_sqlite_triggers, _create_sqlite_triggers),
        migrations.AddField(
            model_name="comment",
            name="down_votes",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="comment",
            name="up_votes",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(_create_sqlite_triggers, _drop_sqlite_triggers),
        migrations.RunPython(_fill_vote_counts, migrations.RunPython.noop),
    ]
