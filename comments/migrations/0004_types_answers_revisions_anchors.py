"""Issue 13: a comment's kind, the answer a question's asker accepted, the text before each edit, the time of a
video a comment is about, and the arXiv version of the paper a comment was written on.

On SQLite, adding NOT NULL columns and check constraints rebuilds the comments table, which drops the reply-target
triggers of 0002; as in 0003 they are dropped before and written again after, so the rule holds throughout.
"""

import importlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

_reply_target = importlib.import_module("comments.migrations.0002_comment_reply_target_trigger")


def _drop_sqlite_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _reply_target.drop_trigger(apps, schema_editor)


def _create_sqlite_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        _reply_target.create_trigger(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_keep_words_and_log_moderation"),
        ("papers", "0007_title_and_author_vectors"),
        ("videos", "0004_published_time_and_audio"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CommentRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("body", models.TextField(max_length=10000)),
                ("edited_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["edited_at", "pk"],
            },
        ),
        migrations.RunPython(_drop_sqlite_triggers, _create_sqlite_triggers),
        migrations.AddField(
            model_name="comment",
            name="accepted",
            field=models.BooleanField(
                default=False, editable=False, help_text="The answer its question's asker accepted (a direct reply)."
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="at",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="On a video: the second it is about (its chapter's); replies take their parent's.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("plain", "Comment"),
                    ("question", "Question"),
                    ("critique", "Critique"),
                    ("summary", "Summary"),
                    ("erratum", "Erratum report"),
                    ("reproduction", "Reproduction report"),
                ],
                default="plain",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="paper_version",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, help_text="On a paper: the arXiv version it was written on.", null=True
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("at__isnull", False)), fields=["video", "at"], name="comment_video_at_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["plain", "question", "critique", "summary", "erratum", "reproduction"])
                ),
                name="comment_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("accepted", False), ("parent__isnull", False), _connector="OR"),
                name="comment_accepted_reply",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("at__isnull", True), ("video__isnull", False), _connector="OR"),
                name="comment_at_on_video",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("accepted", True)), fields=("parent",), name="comment_one_accepted_answer"
            ),
        ),
        migrations.RunPython(_create_sqlite_triggers, _drop_sqlite_triggers),
        migrations.AddField(
            model_name="commentrevision",
            name="comment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="revisions", to="comments.comment"
            ),
        ),
        migrations.AddField(
            model_name="commentrevision",
            name="edited_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="commentrevision",
            index=models.Index(fields=["comment", "edited_at"], name="revision_comment_idx"),
        ),
    ]
