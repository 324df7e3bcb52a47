"""What the two engines' full-text statements share: the caps, the weights and boosts, the sorts' orders, the
filters (compiled from papers.reading), the paper columns read back, and one way to run a statement.

CANDIDATE_CAP and the others are read as `statements.CANDIDATE_CAP` at call time, so that a test can lower them.
"""

from __future__ import annotations

from django.db import connection

from papers.models import Category, Paper
from papers.reading import SearchFilters, Sort, filters_q

CANDIDATE_CAP = 1000  # matches ranked per search; see the module docstring and docs/ARCHITECTURE.md "Search"
FUZZY_CAP = 300  # SQLite: candidates per misspelled word in the fallback
SPELLINGS_PER_WORD = 3  # PostgreSQL: closest spellings searched for a misspelled word
# pg_trgm similarity (shared trigrams / all trigrams) of a spelling to the word typed. Two swapped letters in a
# five-letter word leave 0.2 ("imgae" / "image"); pg_trgm's own default threshold, 0.3, would miss them.
MIN_SPELLING_SIMILARITY = 0.15

# Weights of title, authors and abstract: PostgreSQL's default ts_rank weights for A, B, C; bm25 gets the same.
WEIGHTS = (1.0, 0.4, 0.2)
RECENCY_BOOST = 0.15  # at most +15 % for a paper from this year, fading with age
DISCUSSION_BOOST = 0.10  # at most +10 % for a much-discussed paper

PAPER_FIELDS = list(Paper._meta.concrete_fields)
PAPER_COLUMNS = ", ".join(f'p."{f.column}"' for f in PAPER_FIELDS)
SORT_KEYS = {
    # (order of the candidate set before the cap, order of the page); relevance leaves candidates unordered
    Sort.RELEVANCE: ("", "score DESC, id DESC"),
    # The two sorts follow the indexes paper_newest_idx and paper_discussed_idx column for column, so that the
    # candidates of a common word are read in order from the index and the reading stops at the cap.
    Sort.NEWEST: ("ORDER BY papers_paper.published DESC, papers_paper.arxiv_id DESC", "published DESC, arxiv_id DESC"),
    Sort.OLDEST: ("ORDER BY papers_paper.published, papers_paper.arxiv_id", "published, arxiv_id"),
    Sort.DISCUSSED: (
        "ORDER BY papers_paper.discussion_count DESC, papers_paper.published DESC, papers_paper.arxiv_id DESC",
        "discussion_count DESC, published DESC, arxiv_id DESC",
    ),
}


def filter_sql(filters: SearchFilters) -> tuple[str, list]:
    """The filters as AND-conditions on the (unaliased) papers_paper of a full-text statement: papers.reading's
    one definition, compiled by the ORM, so that a search filters exactly as a list does."""
    condition = filters_q(filters)
    if not condition:
        return "", []
    query = Paper.objects.filter(condition).query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return f" AND {sql}", list(params)


def boosted(rank: str, *, age_days: str) -> str:
    """`rank` raised a little for recent and for discussed papers (columns `published`, `discussion_count`)."""
    return (
        f"({rank}) * (1 + {RECENCY_BOOST} / (1 + {age_days} / 365.25)"
        f" + {DISCUSSION_BOOST} * discussion_count / (discussion_count + 10.0))"
    )


CATEGORY_JOIN = f"LEFT JOIN {Category._meta.db_table} cat ON cat.code = p.primary_category_id"


def qualified(order: str, alias: str) -> str:
    return ", ".join(f"{alias}.{part.strip()}" for part in order.split(","))


def fetch_rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
