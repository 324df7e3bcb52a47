"""Keep every member's words when someone leaves, and log each act of moderation.

A comment's author may now be empty (a departed member's placeholder), and nothing that has a discussion is
deleted by a cascade. On SQLite, making the author column nullable rebuilds the comments table, which drops
the reply-target triggers of 0002; they are dropped before and written again after, so the rule holds.
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
        ("comments", "0002_comment_reply_target_trigger"),
        ("papers", "0005_search_words"),
        ("videos", "0002_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Moderation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(choices=[("remove", "Removed"), ("restore", "Restored")], max_length=8)),
                ("reason", models.CharField(max_length=500)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(_drop_sqlite_triggers, _create_sqlite_triggers),
        migrations.AlterField(
            model_name="comment",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="comments",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(_create_sqlite_triggers, _drop_sqlite_triggers),
        migrations.AlterField(
            model_name="comment",
            name="paper",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="papers.paper",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replies",
                to="comments.comment",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="video",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="videos.video",
            ),
        ),
        migrations.AlterConstraint(
            model_name="note",
            name="note_at_most_one_subject",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("paper__isnull", True), ("video__isnull", True)),
                    models.Q(("paper__isnull", False), ("video__isnull", True), ("source_url", "")),
                    models.Q(("paper__isnull", True), ("video__isnull", False), ("source_url", "")),
                    _connector="OR",
                ),
                name="note_at_most_one_subject",
                violation_error_message="A note is about one thing at most: a paper, a video or an outside source.",
            ),
        ),
        migrations.AddField(
            model_name="moderation",
            name="comment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="moderations", to="comments.comment"
            ),
        ),
        migrations.AddField(
            model_name="moderation",
            name="moderator",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="moderations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="moderation",
            index=models.Index(fields=["-created_at", "-id"], name="moderation_newest_idx"),
        ),
        migrations.AddConstraint(
            model_name="moderation",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", ["remove", "restore"])), name="moderation_action_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="moderation",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason", ""), _negated=True), name="moderation_has_reason"
            ),
        ),
    ]
