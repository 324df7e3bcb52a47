"""PostgreSQL: the title's and the authors' own tsvectors, each with a GIN index, for search's tiers, and the
most-discussed order's index with the title's vector in it.

A relevance search ranks papers by how many of the query's words their title holds, then their title or
authors (docs/ARCHITECTURE.md "Search"). The weighted `search_vector` can tell a title word from an abstract
word row by row (`word:A`), but its GIN index cannot: it stores lexemes without weights, so for a word in most
abstracts and few titles it would hand over most of the table. These small vectors (a title is about ten words,
a list of authors a few names) are indexed on their own, and their statistics tell the planner how common a
word is in titles and in names.

SQLite: FTS5 keeps one list of papers per word for all columns, so "titles holding `model`" read every paper
whose abstract has it and dropped the others (50-70 ms at 100,000 papers). `papers_paper_names_fts` indexes the
title and the authors alone, kept by triggers as `papers_paper_fts` is; an index puts the tie-break's columns
beside the id.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE papers_paper ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, coalesce(title, ''))
    ) STORED
    """,
    "CREATE INDEX papers_paper_title_vector_idx ON papers_paper USING gin (title_vector)",
    """
    ALTER TABLE papers_paper ADD COLUMN author_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, coalesce(author_names, ''))
    ) STORED
    """,
    "CREATE INDEX papers_paper_author_vector_idx ON papers_paper USING gin (author_vector)",
    # The first tier of a common word is read in the tie-break's order, checking each title on the way: with the
    # title's vector in the index, that reading never visits the table (0.6 ms against 5-19 ms for "problem"
    # at 100,000 papers, where 1,500 titles are passed to find 26).
    """
    CREATE INDEX paper_discussed_title_idx ON papers_paper (discussion_count DESC, published DESC, arxiv_id DESC)
    INCLUDE (id, title_vector)
    """,
]
# "In cs.LG" is compiled as upper(category_id) = 'CS.LG' (letter case does not matter, papers.reading): an index on
# that expression gives the planner its statistics, where it guessed 0.5 % of the links for a category holding a
# quarter of them and looked up every one of its papers (980 ms for "deep" in cs.LG at 100,000 papers; 2.8 ms now).
FORWARD.append("CREATE INDEX paper_category_upper_idx ON papers_paper_categories (upper(category_id::text), paper_id)")
# The planner estimates a word its statistics never saw (a misspelling, a rare name) at half the rarest word they
# keep: with the default target (100), 0.5 % of a million papers, and it read an index end to end looking for a
# page of a sorted search for a rare surname. A target of 300 keeps 3,000 words, down to 0.45 % of papers in
# the whole text and 0.02 % in titles (measured at a million), for 6.5 s of ANALYZE there.
FORWARD += [
    f"ALTER TABLE papers_paper ALTER COLUMN {column} SET STATISTICS 300"
    for column in ("search_vector", "title_vector", "author_vector")
]
BACKWARD = [
    "DROP INDEX IF EXISTS paper_category_upper_idx",
    "ALTER TABLE papers_paper ALTER COLUMN search_vector SET STATISTICS -1",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS author_vector",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS title_vector",
]
SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE papers_paper_names_fts USING fts5(
        title, author_names, content='papers_paper', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER papers_paper_names_fts_insert AFTER INSERT ON papers_paper BEGIN
        INSERT INTO papers_paper_names_fts(rowid, title, author_names) VALUES (new.id, new.title, new.author_names);
    END
    """,
    """
    CREATE TRIGGER papers_paper_names_fts_delete AFTER DELETE ON papers_paper BEGIN
        INSERT INTO papers_paper_names_fts(papers_paper_names_fts, rowid, title, author_names)
        VALUES ('delete', old.id, old.title, old.author_names);
    END
    """,
    """
    CREATE TRIGGER papers_paper_names_fts_update AFTER UPDATE OF title, author_names ON papers_paper BEGIN
        INSERT INTO papers_paper_names_fts(papers_paper_names_fts, rowid, title, author_names)
        VALUES ('delete', old.id, old.title, old.author_names);
        INSERT INTO papers_paper_names_fts(rowid, title, author_names) VALUES (new.id, new.title, new.author_names);
    END
    """,
    "INSERT INTO papers_paper_names_fts(papers_paper_names_fts) VALUES ('rebuild')",
    # A tier's papers come from FTS5 as a list of ids, then go in the tie-break's order: with the order's columns
    # beside the id in an index, that sort reads no table rows (5 ms against 32 ms for 5,000 titles of `model`).
    "CREATE INDEX paper_tie_break_by_id_idx ON papers_paper (id, discussion_count, published, arxiv_id)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS paper_tie_break_by_id_idx",
    "DROP TRIGGER IF EXISTS papers_paper_names_fts_update",
    "DROP TRIGGER IF EXISTS papers_paper_names_fts_delete",
    "DROP TRIGGER IF EXISTS papers_paper_names_fts_insert",
    "DROP TABLE IF EXISTS papers_paper_names_fts",
]


def run(by_vendor: dict[str, list[str]]):
    def apply(apps, schema_editor) -> None:
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("papers", "0006_discussion_count")]

    operations = [
        migrations.RunPython(
            run({"postgresql": FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
