"""PostgreSQL: the title's and the authors' own tsvectors, each with a GIN index, for search's tiers.

A relevance search ranks papers by how many of the query's words their title holds, then their title or
authors (docs/ARCHITECTURE.md "Search"). The weighted `search_vector` can tell a title word from an abstract
word row by row (`word:A`), but its GIN index cannot: it stores lexemes without weights, so for a word in most
abstracts and few titles it would hand over most of the table. These small vectors (a title is about ten words,
a list of authors a few names) are indexed on their own, and their statistics tell the planner how common a
word is in titles and in names. SQLite's FTS5 table already has both as columns (`{title} : …`).
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
]
BACKWARD = [
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS author_vector",
    "ALTER TABLE papers_paper DROP COLUMN IF EXISTS title_vector",
]


def run(statements):
    def apply(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("papers", "0006_discussion_count")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
