"""A whole discussion read in one query and shaped into a tree, then flattened for rendering, in Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from comments.models import Comment, HasState, Vote
from papers.models import Paper
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
    )

    @property
    def id(self) -> int:
        return self.pk

    @classmethod
    def from_comment(cls, c: Comment) -> ThreadComment:
        name = c.author.get_username() if c.author else None
        return cls(
            c.pk, c.author_id, name, c.paper_id, c.video_id, c.parent_id, c.depth,
            c.body_html, c.created_at, c.edited_at, c.deleted_at, c.removed_at, c.score,
        )  # fmt: skip


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


def build_thread(target: Paper | Video, *, sort: str = "top") -> Thread:
    """Every comment on `target` in one query, nested under its parent, siblings ordered by `sort`."""
    rows = Comment.objects.on(target).order_by("created_at", "pk").values_list(*ThreadComment.FIELDS)
    comments = [ThreadComment(*row) for row in rows]
    nodes = {c.pk: Node(c) for c in comments}
    roots: list[Node] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id)
        (parent.children if parent else roots).append(node)
    key = _sort_key(sort if sort in SORTS else "top")
    roots.sort(key=key)
    for node in nodes.values():
        if len(node.children) > 1:
            node.children.sort(key=key)
    return Thread(roots=roots, count=sum(1 for c in comments if c.is_visible), nodes=nodes)


def member_votes(user, target: Paper | Video) -> dict[int, int]:
    """The member's votes on the comments of `target`, comment pk to +1 or -1, in one query (none for visitors)."""
    if user is None or not user.is_authenticated:
        return {}
    field_name = "comment__paper" if isinstance(target, Paper) else "comment__video"
    return dict(Vote.objects.filter(user=user, **{field_name: target}).values_list("comment_id", "value"))
