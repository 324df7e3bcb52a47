"""Issue 13, item 11: members flag comments for the curators' queue, and new members' comments may be held for
approval (pre-moderation); approvals join removals and restores in the public moderation log.

A nullable column without a default is added to SQLite's comments table in place, but the reply-target triggers of
0002 are dropped before and written again after, as in 0003 and 0004, so that the rule holds whatever the engine
does to the table.
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
        ("comments", "0006_notifications"),
        ("papers", "0007_title_and_author_vectors"),
        ("videos", "0004_published_time_and_audio"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Flag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "reason",
                    models.CharField(
                        choices=[("spam", "Spam"), ("abuse", "Abuse"), ("off-topic", "Off-topic"), ("other", "Other")],
                        max_length=12,
                    ),
                ),
                (
                    "text",
                    models.CharField(blank=True, help_text="What is wrong (required for “other”).", max_length=500),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("approved", "Approved (the comment stays)"),
                            ("removed-spam", "Removed as spam"),
                            ("removed-rule", "Removed by rule"),
                        ],
                        default="pending",
                        max_length=12,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("resolved_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["created_at", "pk"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="moderation",
            name="moderation_action_valid",
        ),
        migrations.RunPython(_drop_sqlite_triggers, _create_sqlite_triggers),
        migrations.AddField(
            model_name="comment",
            name="held_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Held for a curator's approval since then (pre-moderation of new members); empty once approved.",
                null=True,
            ),
        ),
        migrations.RunPython(_create_sqlite_triggers, _drop_sqlite_triggers),
        migrations.AlterField(
            model_name="moderation",
            name="action",
            field=models.CharField(
                choices=[("remove", "Removed"), ("restore", "Restored"), ("approve", "Approved")], max_length=8
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("held_at__isnull", False)), fields=["held_at"], name="comment_held_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="moderation",
            constraint=models.CheckConstraint(
                condition=models.Q(("action__in", ["remove", "restore", "approve"])), name="moderation_action_valid"
            ),
        ),
        migrations.AddField(
            model_name="flag",
            name="comment",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="flags", to="comments.comment"
            ),
        ),
        migrations.AddField(
            model_name="flag",
            name="flagger",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="flags",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="flag",
            name="resolved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="flag",
            index=models.Index(fields=["status", "created_at"], name="flag_queue_idx"),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("comment", "flagger"),
                name="flag_one_open_per_member",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason__in", ["spam", "abuse", "off-topic", "other"])), name="flag_reason"
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "approved", "removed-spam", "removed-rule"])),
                name="flag_status",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("reason", "other"), _negated=True), models.Q(("text", ""), _negated=True), _connector="OR"
                ),
                name="flag_other_says_why",
            ),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("resolved_at__isnull", True), ("status", "pending")),
                    models.Q(models.Q(("status", "pending"), _negated=True), ("resolved_at__isnull", False)),
                    _connector="OR",
                ),
                name="flag_resolved_when_closed",
            ),
        ),
    ]
