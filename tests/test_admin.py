"""The curators' admin: every page answers staff, turns others away, and keeps private notes private."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import TestCase
from django.urls import reverse

from accounts.models import AuthorClaim
from comments import services
from comments.models import Comment, Flag, Moderation, Note, Vote
from papers.models import Paper
from tests.factories import (
    AuthorshipFactory,
    ChapterFactory,
    CodeLinkFactory,
    CommentFactory,
    CorrectionFactory,
    NoteFactory,
    PaperFactory,
    TagFactory,
    VideoPaperFactory,
    VoteFactory,
    make_personas,
)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class AdminPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        paper = PaperFactory(arxiv_id="2105.06548", title="Not All Memories are Created Equal")
        AuthorshipFactory(paper=paper)
        link = VideoPaperFactory(paper=paper)
        ChapterFactory(video=link.video)
        CorrectionFactory(video=link.video)
        CodeLinkFactory(video=link.video)
        TagFactory()
        comment = CommentFactory(paper=paper, author=cls.people.alice)
        VoteFactory(comment=comment, user=cls.people.bob)
        # The curator's own note, so that the Note change page has an object carol may open.
        NoteFactory(owner=cls.people.carol, title="Curator's own note")
        # One act of moderation, so that the log's (read-only) page has a row to open.
        spam = services.comment_post(author=cls.people.bob, target=paper, body="Cheap GPUs")
        services.comment_remove(comment=spam, moderator=cls.people.carol, reason="Spam")
        # A flag in the curators' queue and a member's claim of an author, for their (read-only) pages.
        services.comment_flag(comment=comment, flagger=cls.people.bob, reason="off-topic")
        AuthorClaim.objects.create(user=cls.people.alice, author=paper.authorships.get().author)

    def registered_models(self):
        labels = {"papers", "videos", "comments", "accounts"}
        return [model for model in admin.site._registry if model._meta.app_label in labels]

    def test_every_changelist_add_and_change_page_answers_staff(self):
        self.client.force_login(self.people.carol)
        checked = 0
        for model in self.registered_models():
            obj = model.objects.filter(owner=self.people.carol).first() if model is Note else model.objects.first()
            assert obj is not None, f"no {model.__name__} to open"
            for url in (admin_url(model, "changelist"), admin_url(model, "add"), admin_url(model, "change", obj.pk)):
                response = self.client.get(url)
                # The moderation log, flags and claims are written by the services alone: no one adds one by hand.
                expected = 403 if model in (Moderation, Flag, AuthorClaim) and url.endswith("/add/") else 200
                assert response.status_code == expected, f"{url} answered {response.status_code}"
                checked += 1
        names = {model.__name__ for model in self.registered_models()}
        assert names == {
            *("Paper", "Author", "Category", "Channel", "Video", "Tag", "Comment", "Vote", "Note", "Moderation"),
            *("Flag", "AuthorClaim", "Correction"),
        }
        assert checked == 3 * len(names)

    def test_anonymous_visitors_are_sent_to_the_login(self):
        for model in self.registered_models():
            url = admin_url(model, "changelist")
            response = self.client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))

    def test_members_who_are_not_staff_are_sent_to_the_login(self):
        self.client.force_login(self.people.alice)
        response = self.client.get(admin_url(Comment, "changelist"))
        assert response.status_code == 302

    def test_paper_search_accepts_any_form_of_arxiv_id(self):
        self.client.force_login(self.people.carol)
        PaperFactory(arxiv_id="2105.01601", title="MLP-Mixer")
        for query in ("https://arxiv.org/abs/2105.06548v2", "arXiv:2105.06548", "2105.06548"):
            response = self.client.get(admin_url(PaperFactory._meta.model, "changelist"), {"q": query})
            assert response.status_code == 200
            assert list(response.context["cl"].result_list.values_list("arxiv_id", flat=True)) == ["2105.06548"]

    def test_remove_and_restore_actions(self):
        self.client.force_login(self.people.carol)
        comment = services.comment_post(author=self.people.bob, target=Paper.objects.get(), body="To moderate")
        url = admin_url(Comment, "changelist")
        form = {"_selected_action": [comment.pk], "reason": "Checking the actions", "apply": "1"}
        self.client.post(url, {"action": "remove_comments", **form})
        comment.refresh_from_db()
        assert comment.removed_at is not None
        self.client.post(url, {"action": "restore_comments", **form})
        comment.refresh_from_db()
        assert comment.removed_at is None
        assert Vote.objects.count() == 1
        assert list(Moderation.objects.filter(comment=comment).values_list("action", flat=True)) == [
            "restore",
            "remove",
        ]


class PrivateNotesInAdminTests(TestCase):
    """Staff see that a private note exists, never what it says (README: "Private notes")."""

    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.secret = NoteFactory(owner=cls.people.alice, title="Secret plans", body="Do not show the curator")
        cls.public = NoteFactory(
            owner=cls.people.alice, title="Shared thoughts", body="Everyone may read", visibility="public"
        )

    def setUp(self):
        self.client.force_login(self.people.carol)

    def test_changelist_hides_titles_of_private_notes(self):
        response = self.client.get(admin_url(Note, "changelist"))
        assert response.status_code == 200
        assert "Secret plans" not in response.content.decode()
        assert "(private note)" in response.content.decode()
        assert "Shared thoughts" in response.content.decode()

    def test_private_note_of_another_member_cannot_be_opened_or_deleted(self):
        assert self.client.get(admin_url(Note, "change", self.secret.pk)).status_code == 403
        assert self.client.get(admin_url(Note, "delete", self.secret.pk)).status_code == 403
        assert self.client.get(admin_url(Note, "history", self.secret.pk)).status_code == 403

    def test_public_note_can_be_opened(self):
        response = self.client.get(admin_url(Note, "change", self.public.pk))
        assert response.status_code == 200
        assert "Everyone may read" in response.content.decode()

    def test_search_does_not_match_private_text(self):
        response = self.client.get(admin_url(Note, "changelist"), {"q": "plans"})
        assert list(response.context["cl"].result_list) == []
        response = self.client.get(admin_url(Note, "changelist"), {"q": "alice"})
        assert {n.pk for n in response.context["cl"].result_list} == {self.secret.pk, self.public.pk}


class LinkFieldTests(TestCase):
    def test_every_link_typed_without_a_scheme_is_read_as_https(self):
        links = [
            field
            for model in apps.get_models()
            if model._meta.app_label in ("papers", "videos", "comments")
            for field in model._meta.get_fields()
            if isinstance(field, models.URLField)
        ]
        assert len(links) == 6  # audio_url (the episode's enclosure) included
        for field in links:
            assert field.formfield().clean("github.com/facebookresearch/transformer-sequential") == (
                "https://github.com/facebookresearch/transformer-sequential"
            ), field
