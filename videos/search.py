"""Video search: explainer videos by title, summary and chapter titles, with the papers' query language.

The reader's words are parsed by papers.search (the same syntax, stop words and caps as for papers) and matched
here against the videos' own indexes (migration videos/0002): on PostgreSQL a video's weighted tsvector and its
chapters', on SQLite the FTS5 table `videos_video_fts`. Two queries: the ranked page with its highlights, then
the videos with their channels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from papers.search import (
    CANDIDATE_CAP,
    MARK_CLOSE,
    MARK_OPEN,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    PG_ABSTRACT_OPTIONS,
    PG_QUERY,
    PG_RANK_WEIGHTS,
    PG_TITLE_OPTIONS,
    WEIGHTS,
    ResultPage,
    fetch_rows,
    marked_html,
    parse_query,
)
from videos.models import Video


@dataclass(frozen=True)
class VideoSearchHit:
    video: Video
    rank: float | None
    title_html: SafeString
    summary_html: SafeString
    chapter_html: SafeString  # matching chapter titles, highlighted, or ""


@dataclass
class VideoSearchResults(ResultPage):
    hits: list[VideoSearchHit] = field(default_factory=list)
    per_page: int = 10


def search_videos(query: str, *, page: int = 1, per_page: int = 10) -> VideoSearchResults:
    """Explainer videos whose title, summary or chapter titles match `query` (same syntax as papers), best first.

    Costs two queries: the ranked page with its highlights, then the videos with their channels.
    """
    query = (query or "")[:MAX_QUERY_LENGTH].replace("\x00", " ").strip()
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    results = VideoSearchResults(query=query, page=page, per_page=per_page)
    parsed = parse_query(query)
    if not parsed.groups:
        if query:
            results.message = "Type a word or two of a video's title, summary or chapters."
        return results
    offset = (page - 1) * per_page
    if connection.vendor == "postgresql":
        sql, params = _postgres_video_sql(parsed.tsquery(), per_page, offset)
    else:
        sql, params = _sqlite_video_sql(parsed.fts5(), per_page, offset)
    rows = fetch_rows(sql, params)
    matched = rows[0][0] if rows else 0
    videos = Video.objects.for_listing().in_bulk([row[1] for row in rows if row[1] is not None])
    results.hits = [
        VideoSearchHit(
            videos[video_id],
            float(score),
            marked_html(title),
            marked_html(summary),
            marked_html(chapters) if chapters and MARK_OPEN in chapters else mark_safe(""),
        )
        for _n, video_id, score, title, summary, chapters in rows
        if video_id in videos
    ]
    results.count(matched, CANDIDATE_CAP, offset)
    return results


def _postgres_video_sql(tsquery: str, limit: int, offset: int):
    # A video matches by its own vector or by one of its chapters'; a chapter counts half as much as the video.
    # (The catalogue of videos is small: the query can come from a CTE, whose words the planner cannot see.)
    sql = f"""
        WITH q AS (SELECT {PG_QUERY} AS query),
        matches AS (
            SELECT v.id, ts_rank({PG_RANK_WEIGHTS}, v.search_vector, q.query) AS r
            FROM videos_video v, q WHERE v.search_vector @@ q.query
            UNION ALL
            SELECT c.video_id, 0.5 * ts_rank({PG_RANK_WEIGHTS}, c.search_vector, q.query)
            FROM videos_chapter c, q WHERE c.search_vector @@ q.query
        ),
        cand AS MATERIALIZED (SELECT id, sum(r) AS score FROM (SELECT * FROM matches LIMIT %s) m GROUP BY id),
        page AS (SELECT id, score FROM cand ORDER BY score DESC, id DESC LIMIT %s OFFSET %s)
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.id, page.score,
                   ts_headline('english'::regconfig, v.title, q.query, %s),
                   ts_headline('english'::regconfig, v.summary, q.query, %s),
                   (SELECT string_agg(ts_headline('english'::regconfig, c.title, q.query, %s), ' · ' ORDER BY c.start)
                    FROM videos_chapter c WHERE c.video_id = v.id AND c.search_vector @@ q.query)
            FROM page JOIN videos_video v ON v.id = page.id, q
        ) x ON true
        ORDER BY x.score DESC, x.id DESC
    """
    return sql, [tsquery, CANDIDATE_CAP, limit, offset, PG_TITLE_OPTIONS, PG_ABSTRACT_OPTIONS, PG_TITLE_OPTIONS]


def _sqlite_video_sql(match: str, limit: int, offset: int):
    weights = f"{WEIGHTS[0]}, {WEIGHTS[2]}, {WEIGHTS[1]}"  # title, summary, chapters
    sql = f"""
        WITH cand AS (
            SELECT rowid AS id, bm25(videos_video_fts, {weights}) AS bm
            FROM videos_video_fts WHERE videos_video_fts MATCH %s LIMIT %s
        ),
        page AS (SELECT id, -bm AS score FROM cand ORDER BY score DESC, id DESC LIMIT %s OFFSET %s)
        SELECT t.n, x.* FROM (SELECT count(*) AS n FROM cand) t LEFT JOIN (
            SELECT page.id AS id, page.score AS score,
                   highlight(videos_video_fts, 0, %s, %s),
                   snippet(videos_video_fts, 1, %s, %s, %s, 40),
                   snippet(videos_video_fts, 2, %s, %s, %s, 16)
            FROM page CROSS JOIN videos_video_fts ON videos_video_fts.rowid = page.id WHERE videos_video_fts MATCH %s
        ) x ON 1
        ORDER BY x.score DESC, x.id DESC
    """
    markers = [MARK_OPEN, MARK_CLOSE, " … "]
    return sql, [match, CANDIDATE_CAP, limit, offset, MARK_OPEN, MARK_CLOSE, *markers, *markers, match]
