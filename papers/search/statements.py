"""What the two engines' full-text statements share: the caps, the weights and boosts, the sorts' orders, the
filters (compiled from papers.reading), the paper columns read back, and one way to run a statement.

CANDIDATE_CAP and the others are read as `statements.CANDIDATE_CAP` at call time, so that a test can lower them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.db import connection

from papers.models import Category, Paper
from papers.reading import SearchFilters, Sort, filters_q

CANDIDATE_CAP = 1000  # videos.search: matches ranked per video search (a channel holds hundreds of videos)
FUZZY_CAP = 300  # SQLite: candidates per misspelled word in the fallback
SPELLINGS_PER_WORD = 3  # PostgreSQL: closest spellings looked up for a misspelled word (the closest is searched)
# pg_trgm similarity (shared trigrams / all trigrams) of a spelling to the word typed. Two swapped letters in a
# five-letter word leave 0.2 ("imgae" / "image"); pg_trgm's own default threshold, 0.3, would miss them.
MIN_SPELLING_SIMILARITY = 0.15

# Weights of title, authors and abstract (PostgreSQL's default ts_rank weights for A, B, C): videos.search ranks
# with them; papers rank by tiers (below), whose order is the same: title > authors > abstract.
WEIGHTS = (1.0, 0.4, 0.2)

# Relevance, for papers: a paper's tier is (t, a): t of the query's G groups are in its title, a in its title or
# its authors (t <= a <= G); every group is somewhere in it, or it does not match. Tiers are ordered by t, then a,
# so a word in the title outweighs any number of words in the authors, and those any number in the abstract.
# Within a tier papers are equally strong matches, and TIE_BREAK orders them: the more discussed first, then the
# newest. That is the most-discussed sort's order, read from its index (paper_discussed_idx), so each tier is read
# in order and the reading stops at the page: every match is ranked, none is scored.
TIE_BREAK = ("discussion_count DESC", "published DESC", "arxiv_id DESC")
EXPLICIT_TIERS = 3  # tiers read one by one, in order; the rest are read together and sorted (see tier_plan)


def tiers(groups: int) -> list[tuple[int, int]]:
    """Every tier (t, a) of a query of `groups` groups, best first."""
    return [(t, a) for t in range(groups, -1, -1) for a in range(groups, t - 1, -1)]


def tier_plan(groups: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the tiers read one by one, the tiers read together as the remainder). The first tiers hold the page of
    almost every search; the remainder is reached only when they hold fewer papers than the page needs, which
    means few papers have the words in their titles, and it is sorted whole."""
    every = tiers(groups)
    return every[:EXPLICIT_TIERS], every[EXPLICIT_TIERS:]


def tier_choices(groups: int, t: int, a: int) -> Iterator[tuple[list[int], list[int], list[int], list[int]]]:
    """Each way a paper can be in tier (t, a): (groups in its title, groups in its authors but not its title,
    groups not in its title, groups in neither), as group numbers. Both engines write a tier as "any of these"."""
    for in_title in itertools.combinations(range(groups), t):
        others = [i for i in range(groups) if i not in in_title]
        for in_authors in itertools.combinations(others, a - t):
            yield list(in_title), list(in_authors), others, [i for i in others if i not in in_authors]


def tier_rank(t: int, a: int, groups: int) -> float:
    """A number for the tier, in (0, 1], larger for better tiers in their order: what `SearchHit.rank` says."""
    return (t + (a + 1) / (groups + 2)) / groups if groups else 0.0


PAPER_FIELDS = list(Paper._meta.concrete_fields)
# What each tier's SELECT gives the page: the paper, and the columns of the orders.
PAGE_ROW = "papers_paper.id, papers_paper.discussion_count, papers_paper.published, papers_paper.arxiv_id"
PAPER_COLUMNS = ", ".join(f'p."{f.column}"' for f in PAPER_FIELDS)
# The orders of the other sorts, each read from the index that follows it column for column (paper_newest_idx,
# paper_discussed_idx; the oldest first reads paper_newest_idx backwards), so the reading stops at the page.
SORT_ORDERS = {
    Sort.NEWEST: ("published DESC", "arxiv_id DESC"),
    Sort.OLDEST: ("published", "arxiv_id"),
    Sort.DISCUSSED: TIE_BREAK,
}


def page_order(sort: Sort) -> tuple[str, ...]:
    """The order of a page's rows (columns of the statements' `page`): the tier's part first, then the sort's."""
    return ("b", "t DESC", "a DESC", *SORT_ORDERS.get(sort, TIE_BREAK))


def filter_sql(filters: SearchFilters) -> tuple[str, list]:
    """The filters as AND-conditions on the (unaliased) papers_paper of a full-text statement: papers.reading's
    one definition, compiled by the ORM, so that a search filters exactly as a list does."""
    condition = filters_q(filters)
    if not condition:
        return "", []
    query = Paper.objects.filter(condition).query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return f" AND {sql}", list(params)


CATEGORY_JOIN = f"LEFT JOIN {Category._meta.db_table} cat ON cat.code = p.primary_category_id"


def qualified(order: tuple[str, ...], alias: str) -> str:
    return ", ".join(f"{alias}.{part}" for part in order)


def fetch_rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
