"""A whole discussion read in one query and shaped into a tree in Python."""

from __future__ import annotations

from dataclasses import dataclass, field

from comments.models import Comment
from papers.models import Paper
from videos.models import Video

SORTS = {"top", "newest", "oldest"}


@dataclass
class Node:
    comment: Comment
    children: list[Node] = field(default_factory=list)


@dataclass
class Thread:
    roots: list[Node]
    count: int  # visible comments (placeholders of deleted ones not counted)


def build_thread(target: Paper | Video, *, sort: str = "top") -> Thread:
    """Every comment on `target` in one query, nested under its parent, siblings ordered by `sort`."""
    comments = list(Comment.objects.on(target).for_thread())
    nodes = {c.pk: Node(c) for c in comments}
    roots: list[Node] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id)
        (parent.children if parent else roots).append(node)

    def key(node: Node):
        c = node.comment
        if sort == "newest":
            return (-c.created_at.timestamp(), -c.pk)
        if sort == "oldest":
            return (c.created_at.timestamp(), c.pk)
        return (-c.score, c.created_at.timestamp(), c.pk)

    def order(level: list[Node]) -> None:
        level.sort(key=key)
        for node in level:
            order(node.children)

    order(roots)
    return Thread(roots=roots, count=sum(1 for c in comments if c.is_visible))
