"""Atom feeds of the participating side: a member's public notes, and a paper's discussion."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from comments.models import Comment, Note
from papers.models import Paper

FEED_SIZE = 50


class MemberNotesFeed(Feed):
    """A member's public notes, newest first: the same feed as their profile page."""

    feed_type = Atom1Feed

    def get_object(self, request, username: str):
        return get_object_or_404(get_user_model(), username=username, is_active=True)

    def title(self, member) -> str:
        return f"{member.get_username()}'s reading notes · Paper Hub"

    def link(self, member) -> str:
        return reverse("profile", args=[member.get_username()])

    def subtitle(self, member) -> str:
        return f"Public reading notes by {member.get_username()} on Paper Hub."

    def items(self, member):
        return Note.objects.feed().filter(owner=member).select_related("owner")[:FEED_SIZE]

    def item_title(self, note: Note) -> str:
        return note.title

    def item_description(self, note: Note) -> str:
        return note.body_html

    def item_pubdate(self, note: Note):
        return note.published_at

    def item_updateddate(self, note: Note):
        return note.updated_at

    def item_author_name(self, note: Note) -> str:
        return note.owner.get_username()


class PublicNotesFeed(MemberNotesFeed):
    """Every member's public notes, newest first: the feed of /notes/public/."""

    def get_object(self, request):
        return None

    def title(self) -> str:
        return "Members' reading notes · Paper Hub"

    def link(self) -> str:
        return reverse("comments:public_notes")

    def subtitle(self) -> str:
        return "The newest public reading notes of every member of Paper Hub."

    def items(self):
        return Note.objects.listed().select_related("owner")[:FEED_SIZE]


class PaperDiscussionFeed(Feed):
    """The newest comments on one paper."""

    feed_type = Atom1Feed

    def get_object(self, request, arxiv_id: str) -> Paper:
        return get_object_or_404(Paper, arxiv_id=arxiv_id)  # canonical already: the <arxiv:...> converter

    def title(self, paper: Paper) -> str:
        return f"Discussion of “{paper.title}” · Paper Hub"

    def link(self, paper: Paper) -> str:
        return f"{paper.get_absolute_url()}#discussion"

    def subtitle(self, paper: Paper) -> str:
        return f"New comments on arXiv:{paper.arxiv_id} on Paper Hub."

    def items(self, paper: Paper):
        return (
            Comment.objects.visible()
            .filter(paper=paper)
            .select_related("author", "paper")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, comment: Comment) -> str:
        return f"{comment.author.get_username()} on {comment.paper.title}"

    def item_description(self, comment: Comment) -> str:
        return comment.body_html

    def item_link(self, comment: Comment) -> str:
        return comment.get_permalink()

    def item_pubdate(self, comment: Comment):
        return comment.created_at

    def item_updateddate(self, comment: Comment):
        return comment.edited_at or comment.created_at

    def item_author_name(self, comment: Comment) -> str:
        return comment.author.get_username()
