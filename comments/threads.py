"""A whole discussion read in one query and shaped into a tree, then flattened for rendering, in Python."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, IntegerField, Value, When

from comments.models import VISIBLE, Comment, HasState, Kind, Vote
from papers.models import Authorship, Paper
from videos.models import Correction, Video

SORTS = ("best", "top", "newest", "oldest", "authors")
SORT_LABELS = {"authors": "author replies first"}  # how a sort is named on the page, when not by its key
DEFAULT_SORT = "top"

# A long discussion is paged by top-level thread: each page holds this many, every one with all its replies.
THREADS_PER_PAGE = 50
WILSON_Z = 1.96  # 95% confidence


def wilson_lower_bound(up: int, down: int, z: float = WILSON_Z) -> float:
    """The lower bound of the Wilson score interval for the share of up-votes: the "best" sort's key. A comment
    without votes has 0, below any comment with a positive bound."""
    n = up + down
    if n == 0:
        return 0.0
    p = up / n
    zz = z * z
    return (p + zz / (2 * n) - z * math.sqrt((p * (1 - p) + zz / (4 * n)) / n)) / (1 + zz / n)


# Replies deeper than this (counted from the top of the page's tree) are not indented further: the last shown
# level gets a "continue this thread" link to a page of its own sub-thread instead.
MAX_DEPTH = 6


@dataclass(slots=True)
class ThreadComment(HasState):
    """What a discussion shows of a comment, read as plain values: a tenth of the cost of a model instance,
    which is most of the time of a long thread. The markdown source stays in the database: pages show the HTML."""

    pk: int
    author_id: int | None  # None once the author has left: the comment is a placeholder
    author_name: str | None
    paper_id: int | None
    video_id: int | None
    parent_id: int | None
    depth: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    removed_at: datetime | None
    score: int
    kind: str = "plain"
    accepted: bool = False
    at: int | None = None
    paper_version: int | None = None
    up_votes: int = 0
    down_votes: int = 0
    held_at: datetime | None = None  # awaiting approval: shown to its author and curators only
    correction_id: int | None = None  # on a video: the erratum a curator confirmed this report as
    # Read from the tree, not the row: a visible accepted reply below this question; the asker this reply may be
    # accepted by (the author of the visible question it answers).
    answered: bool = False
    asker_id: int | None = None

    FIELDS = (
        "pk",
        "author_id",
        "author__username",
        "paper_id",
        "video_id",
        "parent_id",
        "depth",
        "body_html",
        "created_at",
        "edited_at",
        "deleted_at",
        "removed_at",
        "score",
        "kind",
        "accepted",
        "at",
        "paper_version",
        "up_votes",
        "down_votes",
        "held_at",
    )
    # A video's discussion also reads the correction each erratum report became: a join in the same one query.
    VIDEO_FIELDS = (*FIELDS, "correction__id")

    @property
    def id(self) -> int:
        return self.pk

    @classmethod
    def from_comment(cls, c: Comment) -> ThreadComment:
        name = c.author.get_username() if c.author else None
        row = cls(
            c.pk, c.author_id, name, c.paper_id, c.video_id, c.parent_id, c.depth,
            c.body_html, c.created_at, c.edited_at, c.deleted_at, c.removed_at, c.score,
            c.kind, c.accepted, c.at, c.paper_version, c.up_votes, c.down_votes, c.held_at,
            _correction_id(c),
        )  # fmt: skip
        parent = c.parent if c.parent_id else None
        if parent is not None and parent.is_question and parent.is_visible:
            row.asker_id = parent.author_id
        if c.is_question:
            row.answered = c.replies.filter(accepted=True, deleted_at=None, removed_at=None).exists()
        return row


def _correction_id(comment: Comment) -> int | None:
    """The correction an erratum report on a video became, if a curator confirmed it (one query, for such reports)."""
    if comment.kind != Kind.ERRATUM or comment.video_id is None:
        return None
    return Correction.objects.filter(report=comment).values_list("pk", flat=True).first()


@dataclass
class Node:
    comment: ThreadComment
    children: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    """One comment in reading order, with its indent on this page; `hidden` replies continue on another page."""

    comment: ThreadComment
    depth: int
    hidden: int = 0


@dataclass
class Thread:
    roots: list[Node]
    count: int  # visible comments (placeholders of deleted ones not counted)
    nodes: dict[int, Node] = field(default_factory=dict)

    def rows(
        self, *, root: Node | None = None, max_depth: int = MAX_DEPTH, roots: list[Node] | None = None
    ) -> list[Row]:
        """The tree (or the sub-thread under `root`, or the threads `roots` of one page) as one ordered list: each
        comment followed by its replies.

        Iterative, so a reply chain thousands deep cannot hit Python's recursion limit.
        """
        rows: list[Row] = []
        chosen = [root] if root is not None else (self.roots if roots is None else roots)
        stack = [(node, 0) for node in reversed(chosen)]
        while stack:
            node, depth = stack.pop()
            if depth >= max_depth and node.children:
                rows.append(Row(node.comment, depth, hidden=_descendants(node)))
                continue
            rows.append(Row(node.comment, depth))
            below = depth + 1
            for child in reversed(node.children):
                stack.append((child, below))
        return rows

    def page_count(self, per_page: int = THREADS_PER_PAGE) -> int:
        return max(1, -(-len(self.roots) // per_page))

    def page_roots(self, page: int, per_page: int = THREADS_PER_PAGE) -> list[Node]:
        """The top-level threads of page `page` (from 1), each kept whole."""
        start = (page - 1) * per_page
        return self.roots[start : start + per_page]

    def page_holding(self, pk: int, per_page: int = THREADS_PER_PAGE) -> int | None:
        """The page whose threads hold comment `pk` (its top-level ancestor's page); None when this thread (or the
        part of it shown) does not hold it."""
        node = self.nodes.get(pk)
        if node is None:
            return None
        ancestors = {pk}
        parent_id = node.comment.parent_id
        while parent_id is not None and parent_id in self.nodes and parent_id not in ancestors:
            ancestors.add(parent_id)
            parent_id = self.nodes[parent_id].comment.parent_id
        for index, root in enumerate(self.roots):
            if root.comment.pk in ancestors:
                return index // per_page + 1
        return None


def _descendants(node: Node) -> int:
    count, stack = 0, list(node.children)
    while stack:
        child = stack.pop()
        count += 1
        stack.extend(child.children)
    return count


def _best_key(node: Node) -> tuple:
    c = node.comment
    return (-wilson_lower_bound(c.up_votes, c.down_votes), -c.created_at.timestamp(), -c.pk)


def _sort_key(sort: str, authors: frozenset[int] = frozenset()):
    if sort == "best":
        return _best_key
    if sort == "authors":
        # The discussed work's authors first (see discussion_authors), then the best of the rest.
        return lambda node: (node.comment.author_id not in authors or not node.comment.is_visible, *_best_key(node))
    if sort == "newest":
        return lambda node: (-node.comment.created_at.timestamp(), -node.comment.pk)
    if sort == "oldest":
        return lambda node: (node.comment.created_at, node.comment.pk)
    return lambda node: (-node.comment.score, node.comment.created_at, node.comment.pk)


@dataclass(frozen=True, slots=True)
class ThreadFilter:
    """What part of a discussion a page shows: comments of one kind (each with its replies), and on a video the
    comments about a span of time [start, end) (a chapter; `end` None runs to the end)."""

    kind: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def active(self) -> bool:
        return self.kind is not None or self.start is not None


@dataclass(frozen=True, slots=True)
class HeldShown:
    """Who reads comments awaiting approval: a curator reads them all, a member their own (a held comment takes no
    replies, so leaving it out of anyone else's thread leaves no reply without its parent)."""

    user_id: int | None = None
    curator: bool = False

    def shows(self, comment: ThreadComment) -> bool:
        return self.curator or (self.user_id is not None and comment.author_id == self.user_id)


def _mark_answers(comments: list[ThreadComment], nodes: dict[int, Node]) -> None:
    """Which questions are answered, and who may accept each reply to a question: read from the tree in one pass."""
    for comment in comments:
        parent = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        if parent is None or parent.comment.kind != "question" or not parent.comment.is_visible:
            continue
        comment.asker_id = parent.comment.author_id
        if comment.accepted and comment.is_visible:
            parent.comment.answered = True


def _of_kind(roots: list[Node], kind: str) -> list[Node]:
    """The comments of `kind` that no comment of that kind is above, each the root of its sub-thread: a filtered
    page shows the questions with their answers."""
    found: list[Node] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node.comment.kind == kind:
            found.append(node)
        else:
            stack.extend(reversed(node.children))
    return found


def _visible_under(roots: list[Node]) -> int:
    return sum(1 for root in roots if root.comment.is_visible) + sum(
        1 for root in roots for child in _walk(root) if child.comment.is_visible
    )


def _walk(node: Node):
    stack = list(node.children)
    while stack:
        child = stack.pop()
        yield child
        stack.extend(child.children)


def discussion_authors(target: Paper | Video) -> frozenset[int]:
    """The members who speak as the discussed work's authors: the "author replies first" sort lifts their comments,
    and on a paper they carry the author badge. On a video, its channel's owner (the creator the pages already
    mark); on a paper, the members whose claim on one of its authors a curator approved (paper_author_members)."""
    if isinstance(target, Video):
        owner_id = target.channel.owner_id
        return frozenset() if owner_id is None else frozenset({owner_id})
    return paper_author_members(target.pk)


def build_thread(
    target: Paper | Video,
    *,
    sort: str = DEFAULT_SORT,
    only: ThreadFilter | None = None,
    authors: frozenset[int] = frozenset(),
    held: HeldShown | None = None,
) -> Thread:
    """Every comment on `target` in one query, nested under its parent, siblings ordered by `sort`; `only` narrows
    it to a kind (in Python, over the tree) or a span of the video (in the query: replies share their root's time).
    `authors` are the members the "authors" sort puts first (discussion_authors). Comments awaiting approval are
    left out unless `held` shows them to this reader (their author, or curators)."""
    query = Comment.objects.on(target)
    if only is not None and only.start is not None:
        query = query.filter(at__gte=only.start)
        if only.end is not None:
            query = query.filter(at__lt=only.end)
    fields = ThreadComment.FIELDS if isinstance(target, Paper) else ThreadComment.VIDEO_FIELDS
    rows = query.order_by("created_at", "pk").values_list(*fields)
    comments = [ThreadComment(*row) for row in rows]
    if any(c.held_at is not None for c in comments):
        comments = [c for c in comments if c.held_at is None or (held is not None and held.shows(c))]
    nodes = {c.pk: Node(c) for c in comments}
    roots: list[Node] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id)
        (parent.children if parent else roots).append(node)
    _mark_answers(comments, nodes)
    count = sum(1 for c in comments if c.is_visible)
    if only is not None and only.kind is not None:
        roots = _of_kind(roots, only.kind)
        count = _visible_under(roots)
    key = _sort_key(sort if sort in SORTS else DEFAULT_SORT, authors)
    roots.sort(key=key)
    for node in nodes.values():
        if len(node.children) > 1:
            node.children.sort(key=key)
    return Thread(roots=roots, count=count, nodes=nodes)


def chapter_span(starts: list[int], start: int) -> ThreadFilter | None:
    """The span of the chapter starting at `start` among chapters starting at `starts`: up to the next one's start
    (the last runs to the end); None when no chapter starts there."""
    ordered = sorted(set(starts))
    if start not in ordered:
        return None
    index = ordered.index(start)
    return ThreadFilter(start=start, end=ordered[index + 1] if index + 1 < len(ordered) else None)


def chapter_counts(video: Video, starts: list[int]) -> dict[int, int]:
    """The visible comments about each chapter of `video` (chapter start to count; chapters without any are left
    out), in one aggregate query: each comment's time is mapped to the last chapter starting at or before it."""
    ordered = sorted(set(starts))
    if not ordered:
        return {}
    chapter = Case(*(When(at__gte=s, then=Value(s)) for s in reversed(ordered)), output_field=IntegerField())
    rows = (
        Comment.objects.filter(VISIBLE, video=video, at__gte=ordered[0])
        .annotate(chapter=chapter)
        .values("chapter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["chapter"]: row["n"] for row in rows}


def paper_author_members(paper_id: int) -> frozenset[int]:
    """The members who are an author of this paper: their claim on one of its authors (accounts.AuthorClaim, read
    through the ORM's reverse relation `claims`, since comments sit below accounts) was approved by a curator. One
    query per page, whatever the number of comments."""
    rows = Authorship.objects.filter(paper_id=paper_id, author__claims__status="approved").order_by()
    return frozenset(rows.values_list("author__claims__user_id", flat=True))


def member_votes(user, target: Paper | Video) -> dict[int, int]:
    """The member's votes on the comments of `target`, comment pk to +1 or -1, in one query (none for visitors)."""
    if user is None or not user.is_authenticated:
        return {}
    field_name = "comment__paper" if isinstance(target, Paper) else "comment__video"
    return dict(Vote.objects.filter(user=user, **{field_name: target}).values_list("comment_id", "value"))
