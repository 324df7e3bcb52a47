"""PostgreSQL: the words of every title and author name, for correcting a misspelt search word.

`papers_search_word` holds each distinct word (four letters or more, no digits-only or punctuated tokens) found in
a paper's title or author names, with a pg_trgm GiST index that finds the words spelt most like a given one. A
search that finds nothing looks each of its words up here and searches again with the closest spellings; a
table of distinct words is a few hundred thousand rows where the papers are millions, so the lookup costs
milliseconds where trigram matching against every title cost a tenth of a second at a million papers.

The database keeps the table itself: statement-level triggers add the words of inserted rows, and of updated
rows whose title or authors changed, in one statement per batch (a bulk COPY included). Words are never removed:
a word left from an edited title can still be offered as a spelling, and then simply matches nothing.
SQLite has no trigram index; there the fallback reads FTS5 prefixes (papers/search.py).
"""

from django.db import migrations

# The words of the papers in `rows`: lexemes of the 'simple' configuration (lower case, not stemmed).
WORDS_OF = """
    SELECT DISTINCT w.word
    FROM {rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
        coalesce(p.title, '') || ' ' || coalesce(p.author_names, '')))) AS w(word)
    WHERE length(w.word) >= 4 AND w.word !~ '[[:punct:]]' AND w.word !~ '^[0-9]+$'
"""

NEW_WORDS = WORDS_OF.format(rows="new_papers p")
CHANGED_WORDS = WORDS_OF.format(
    rows="""new_papers p JOIN old_papers o ON o.id = p.id
        AND (o.title IS DISTINCT FROM p.title OR o.author_names IS DISTINCT FROM p.author_names)"""
)

POSTGRES_FORWARD = [
    "CREATE TABLE papers_search_word (word text PRIMARY KEY)",
    # Inserted in word order, so that two imports adding the same new words cannot deadlock.
    f"""
    CREATE FUNCTION papers_search_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO papers_search_word (word)
            SELECT word FROM ({NEW_WORDS}) words ORDER BY word ON CONFLICT (word) DO NOTHING;
        ELSE
            INSERT INTO papers_search_word (word)
            SELECT word FROM ({CHANGED_WORDS}) words ORDER BY word ON CONFLICT (word) DO NOTHING;
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER papers_search_word_insert AFTER INSERT ON papers_paper
    REFERENCING NEW TABLE AS new_papers FOR EACH STATEMENT EXECUTE FUNCTION papers_search_word_add()
    """,
    """
    CREATE TRIGGER papers_search_word_update AFTER UPDATE ON papers_paper
    REFERENCING OLD TABLE AS old_papers NEW TABLE AS new_papers
    FOR EACH STATEMENT EXECUTE FUNCTION papers_search_word_add()
    """,
    f"INSERT INTO papers_search_word (word) {WORDS_OF.format(rows='papers_paper p')}",
    "CREATE INDEX papers_search_word_trgm_idx ON papers_search_word USING gist (word gist_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS papers_search_word_update ON papers_paper",
    "DROP TRIGGER IF EXISTS papers_search_word_insert ON papers_paper",
    "DROP FUNCTION IF EXISTS papers_search_word_add()",
    "DROP TABLE IF EXISTS papers_search_word",
]


def _run(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("papers", "0004_search_vector_inline")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
