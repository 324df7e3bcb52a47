"""A reply must be on its parent's paper or video: a rule across two rows, so a trigger keeps it."""

from __future__ import annotations

from django.db import NotSupportedError, migrations

POSTGRES_CREATE = """
CREATE FUNCTION comment_reply_same_target() RETURNS trigger AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM comments_comment p
        WHERE p.id = NEW.parent_id
          AND (p.paper_id IS DISTINCT FROM NEW.paper_id OR p.video_id IS DISTINCT FROM NEW.video_id)
    ) THEN
        RAISE EXCEPTION 'comment_reply_same_target: a reply must be on its parent''s paper or video'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER comment_reply_same_target
    BEFORE INSERT OR UPDATE OF parent_id, paper_id, video_id ON comments_comment
    FOR EACH ROW EXECUTE FUNCTION comment_reply_same_target();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS comment_reply_same_target ON comments_comment;
DROP FUNCTION IF EXISTS comment_reply_same_target();
"""

_SQLITE_CHECK = """
    WHEN NEW.parent_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM comments_comment p
        WHERE p.id = NEW.parent_id AND (p.paper_id IS NOT NEW.paper_id OR p.video_id IS NOT NEW.video_id)
    )
BEGIN
    SELECT RAISE(ABORT, 'comment_reply_same_target: a reply must be on its parent''s paper or video');
END;
"""
SQLITE_CREATE = [
    "CREATE TRIGGER comment_reply_same_target_insert BEFORE INSERT ON comments_comment" + _SQLITE_CHECK,
    "CREATE TRIGGER comment_reply_same_target_update BEFORE UPDATE OF parent_id, paper_id, video_id"
    " ON comments_comment" + _SQLITE_CHECK,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comment_reply_same_target_insert",
    "DROP TRIGGER IF EXISTS comment_reply_same_target_update",
]


def create_trigger(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    else:
        raise NotSupportedError(
            f"No reply-target trigger written for {vendor}; the hub supports PostgreSQL and SQLite."
        )


def drop_trigger(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
