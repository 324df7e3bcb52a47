"""A whole discussion read in one query and shaped into a tree, then flattened for rendering, in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, IntegerField, Value, When

from comments.models import VISIBLE, Comment, HasState, Vote
from papers.models import Authorship, Paper
from videos.models import Video

SORTS = ("top", "newest", "oldest")

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
    held_at: datetime | None = None  # awaiting approval: shown to its author and curators only
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
        "held_at",
    )

    @property
    def id(self) -> int:
        return self.pk

    @classmethod
    def from_comment(cls, c: Comment) -> ThreadComment:
        name = c.author.get_username() if c.author else None
        row = cls(
            c.pk, c.author_id, name, c.paper_id, c.video_id, c.parent_id, c.depth,
            c.body_html, c.created_at, c.edited_at, c.deleted_at, c.removed_at, c.score,
            c.kind, c.accepted, c.at, c.paper_version, c.held_at,
        )  # fmt: skip
        parent = c.parent if c.parent_id else None
        if parent is not None and parent.is_question and parent.is_visible:
            row.asker_id = parent.author_id
        if c.is_question:
            row.answered = c.replies.filter(accepted=True, deleted_at=None, removed_at=None).exists()
        return row


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

    def rows(self, *, root: Node | None = None, max_depth: int = MAX_DEPTH) -> list[Row]:
        """The tree (or the sub-thread under `root`) as one ordered list: each comment followed by its replies.

        Iterative, so a reply chain thousands deep cannot hit Python's recursion limit.
        """
        rows: list[Row] = []
        stack = [(node, 0) for node in reversed([root] if root is not None else self.roots)]
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


def _descendants(node: Node) -> int:
    count, stack = 0, list(node.children)
    while stack:
        child = stack.pop()
        count += 1
        stack.extend(child.children)
    return count


def _sort_key(sort: str):
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


def build_thread(
    target: Paper | Video, *, sort: str = "top", only: ThreadFilter | None = None, held: HeldShown | None = None
) -> Thread:
    """Every comment on `target` in one query, nested under its parent, siblings ordered by `sort`; `only` narrows
    it to a kind (in Python, over the tree) or a span of the video (in the query: replies share their root's time).
    Comments awaiting approval are left out unless `held` shows them to this reader (their author, or curators)."""
    query = Comment.objects.on(target)
    if only is not None and only.start is not None:
        query = query.filter(at__gte=only.start)
        if only.end is not None:
            query = query.filter(at__lt=only.end)
    rows = query.order_by("created_at", "pk").values_list(*ThreadComment.FIELDS)
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
    key = _sort_key(sort if sort in SORTS else "top")
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
