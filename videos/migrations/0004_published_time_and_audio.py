"""Videos keep the moment their feed gives (with its UTC offset) instead of a day, and a podcast episode's audio.

`published` was a date taken from feedparser's UTC reading of the feed's time, so an episode published at 18:00
-0700 was stored under the next day. It becomes a DateTimeField with `published_offset` (minutes) beside it: the
database keeps the moment, the offset gives back the day the feed announced. Existing dates become that day's
midnight UTC with offset 0, which pages show as the same day. `audio_url` holds a podcast feed's enclosure.
"""

import datetime
import importlib

from django.db import migrations, models

import shared.fields

BATCH = 1000

# On SQLite, adding a column with a default remakes videos_video (new table, copy, drop, rename): the old table's
# FTS triggers go with it and the chapters' triggers would name a table that is briefly missing. They are
# dropped first and created again, as migration 0002 wrote them, once the table has its final shape.
_search = importlib.import_module("videos.migrations.0002_search_index")
SQLITE_TRIGGERS = [sql for sql in _search.SQLITE_FORWARD if sql.lstrip().startswith("CREATE TRIGGER")]
SQLITE_DROP_TRIGGERS = [sql for sql in _search.SQLITE_BACKWARD if sql.startswith("DROP TRIGGER")]


def _on_sqlite(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def dates_to_moments(apps, schema_editor) -> None:
    Video = apps.get_model("videos", "Video")
    changed = []
    for video in Video.objects.filter(published__isnull=False).only("pk", "published").iterator(chunk_size=BATCH):
        video.published_moment = datetime.datetime.combine(video.published, datetime.time.min, tzinfo=datetime.UTC)
        video.published_offset = 0
        changed.append(video)
        if len(changed) == BATCH:
            Video.objects.bulk_update(changed, ["published_moment", "published_offset"])
            changed = []
    Video.objects.bulk_update(changed, ["published_moment", "published_offset"])


def moments_to_dates(apps, schema_editor) -> None:
    Video = apps.get_model("videos", "Video")
    changed = []
    for video in Video.objects.filter(published_moment__isnull=False).iterator(chunk_size=BATCH):
        offset = datetime.timedelta(minutes=video.published_offset or 0)
        video.published = (video.published_moment + offset).date()  # the day in the feed's offset
        changed.append(video)
    Video.objects.bulk_update(changed, ["published"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("videos", "0003_count_explainer_discussions")]

    operations = [
        migrations.RunPython(_on_sqlite(SQLITE_DROP_TRIGGERS), _on_sqlite(SQLITE_TRIGGERS)),
        migrations.RemoveIndex(model_name="video", name="video_newest_idx"),
        migrations.AddField(
            model_name="video",
            name="published_moment",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="video",
            name="published_offset",
            field=models.SmallIntegerField(
                blank=True,
                help_text="The UTC offset, in minutes, the feed gave the time in; pages show the day in that offset.",
                null=True,
            ),
        ),
        migrations.RunPython(dates_to_moments, moments_to_dates),
        migrations.RemoveField(model_name="video", name="published"),
        migrations.RenameField(model_name="video", old_name="published_moment", new_name="published"),
        migrations.AlterField(
            model_name="video",
            name="published",
            field=models.DateTimeField(
                blank=True,
                help_text="When the episode came out, as its feed says (a date alone is midnight UTC).",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="video",
            index=models.Index(fields=["-published", "-id"], name="video_newest_idx"),
        ),
        migrations.AddField(
            model_name="video",
            name="audio_url",
            field=shared.fields.URLField(
                blank=True,
                help_text="The episode's audio file (a podcast feed's enclosure), played on the page when there is no YouTube video.",
                max_length=1000,
            ),
        ),
        migrations.RunPython(_on_sqlite(SQLITE_TRIGGERS), _on_sqlite(SQLITE_DROP_TRIGGERS)),
    ]
