"""Full-text and typo-tolerant search over papers, built by the database itself.

PostgreSQL: a stored generated tsvector (title A, authors B, abstract C, English stemming) with a GIN
index, and pg_trgm GIN indexes on titles and author names for the misspelling fallback.
SQLite: an FTS5 external-content table over the same three columns (porter stemming), kept in step
by triggers. The model does not declare these columns: papers/search.py reads them with raw SQL.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE papers_paper ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(author_names, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(abstract, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX papers_paper_search_idx ON papers_paper USING gin (search_vector)",
    "CREATE INDEX papers_paper_title_trgm_idx ON papers_paper USING gin (title gin_trgm_ops)",
    "CREATE INDEX papers_paper_authors_trgm_idx ON papers_paper USING gin (author_names gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS papers_paper_authors_trgm_idx",
    "DROP INDEX IF EXISTS papers_paper_title_trgm_idx",
    "DROP INDEX IF EXISTS papers_paper_search_idx",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS search_vector",
    # The extension stays: other objects may use it, and dropping it needs more rights than creating it.
]

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE papers_paper_fts USING fts5(
        title, author_names, abstract,
        content='papers_paper', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER papers_paper_fts_insert AFTER INSERT ON papers_paper BEGIN
        INSERT INTO papers_paper_fts(rowid, title, author_names, abstract)
        VALUES (new.id, new.title, new.author_names, new.abstract);
    END
    """,
    """
    CREATE TRIGGER papers_paper_fts_delete AFTER DELETE ON papers_paper BEGIN
        INSERT INTO papers_paper_fts(papers_paper_fts, rowid, title, author_names, abstract)
        VALUES ('delete', old.id, old.title, old.author_names, old.abstract);
    END
    """,
    """
    CREATE TRIGGER papers_paper_fts_update AFTER UPDATE OF title, author_names, abstract ON papers_paper BEGIN
        INSERT INTO papers_paper_fts(papers_paper_fts, rowid, title, author_names, abstract)
        VALUES ('delete', old.id, old.title, old.author_names, old.abstract);
        INSERT INTO papers_paper_fts(rowid, title, author_names, abstract)
        VALUES (new.id, new.title, new.author_names, new.abstract);
    END
    """,
    "INSERT INTO papers_paper_fts(papers_paper_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS papers_paper_fts_update",
    "DROP TRIGGER IF EXISTS papers_paper_fts_delete",
    "DROP TRIGGER IF EXISTS papers_paper_fts_insert",
    "DROP TABLE IF EXISTS papers_paper_fts",
]


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("papers", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
