"""Full-text search over explainer videos: title, summary and chapter titles.

PostgreSQL: stored generated tsvectors on videos (title A, summary C) and on chapters (title B), each
with a GIN index; papers/search.py matches a video by its own vector or any of its chapters'.
SQLite: one FTS5 table (title, summary, chapters) holding its own copy of the text, rewritten by
triggers whenever a video or one of its chapters changes.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    ALTER TABLE videos_video ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX videos_video_search_idx ON videos_video USING gin (search_vector)",
    """
    ALTER TABLE videos_chapter ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX videos_chapter_search_idx ON videos_chapter USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS videos_chapter_search_idx",
    "ALTER TABLE videos_chapter DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS videos_video_search_idx",
    "ALTER TABLE videos_video DROP COLUMN IF EXISTS search_vector",
]

# The FTS row of a video, rebuilt from the video and its chapters as they are now.
_REFRESH_ROW = """
        DELETE FROM videos_video_fts WHERE rowid = {id};
        INSERT INTO videos_video_fts(rowid, title, summary, chapters)
        SELECT v.id, v.title, v.summary,
               (SELECT group_concat(c.title, ' · ') FROM videos_chapter c WHERE c.video_id = v.id)
        FROM videos_video v WHERE v.id = {id};
"""

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE videos_video_fts USING fts5(
        title, summary, chapters, tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    f"CREATE TRIGGER videos_video_fts_insert AFTER INSERT ON videos_video BEGIN {_REFRESH_ROW.format(id='new.id')} END",
    f"""CREATE TRIGGER videos_video_fts_update AFTER UPDATE OF title, summary ON videos_video
    BEGIN {_REFRESH_ROW.format(id="new.id")} END""",
    "CREATE TRIGGER videos_video_fts_delete AFTER DELETE ON videos_video BEGIN "
    "DELETE FROM videos_video_fts WHERE rowid = old.id; END",
    f"CREATE TRIGGER videos_chapter_fts_insert AFTER INSERT ON videos_chapter BEGIN {_REFRESH_ROW.format(id='new.video_id')} END",
    f"""CREATE TRIGGER videos_chapter_fts_update AFTER UPDATE ON videos_chapter BEGIN
    {_REFRESH_ROW.format(id="old.video_id")} {_REFRESH_ROW.format(id="new.video_id")} END""",
    f"CREATE TRIGGER videos_chapter_fts_delete AFTER DELETE ON videos_chapter BEGIN {_REFRESH_ROW.format(id='old.video_id')} END",
    """
    INSERT INTO videos_video_fts(rowid, title, summary, chapters)
    SELECT v.id, v.title, v.summary,
           (SELECT group_concat(c.title, ' · ') FROM videos_chapter c WHERE c.video_id = v.id)
    FROM videos_video v
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS videos_chapter_fts_delete",
    "DROP TRIGGER IF EXISTS videos_chapter_fts_update",
    "DROP TRIGGER IF EXISTS videos_chapter_fts_insert",
    "DROP TRIGGER IF EXISTS videos_video_fts_delete",
    "DROP TRIGGER IF EXISTS videos_video_fts_update",
    "DROP TRIGGER IF EXISTS videos_video_fts_insert",
    "DROP TABLE IF EXISTS videos_video_fts",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("videos", "0001_initial"), ("papers", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
