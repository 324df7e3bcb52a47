"""Edit history (issue 13, item 4): every edit keeps the text it replaced, with who edited and when; a comment says
"edited" and links to its history, drawn as a word diff; the API lists the revisions. A deleted or removed comment's
history is its author's and curators' alone. Deleting, removing and restoring keep their places in the thread."""

from __future__ import annotations

from django.db import transaction
from django.test import TestCase
from django.urls import reverse

from comments import services
from comments.models import Comment, CommentRevision
from comments.revisions import word_diff
from tests.api_support import client_for
from tests.factories import PaperFactory, UserFactory, make_personas

PAGE = "/papers/2105.06548/"


def test_the_word_diff_marks_what_changed_and_escapes_everything():
    assert word_diff("the loss goes down", "the loss goes up") == "the loss goes <del>down</del><ins>up</ins>"
    assert word_diff("a\nb", "a\nb c") == "a\nb<ins> c</ins>"
    assert word_diff("x", '<script>alert("x")</script> x') == (
        "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; </ins>x"
    )


class EditHistoryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.dave = UserFactory(username="dave")
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.comment = services.comment_post(author=cls.p.alice, target=cls.paper, body="The loss goes down.")
        cls.reply = services.comment_post(author=cls.p.bob, target=cls.paper, body="Which loss?", parent=cls.comment)

    def edit_on_the_page(self, body: str):
        self.client.force_login(self.p.alice)
        return self.client.post(f"/comments/{self.comment.pk}/edit/", {"body": body})

    def test_each_edit_keeps_the_text_it_replaced_with_who_and_when(self):
        self.edit_on_the_page("The training loss goes down.")
        self.edit_on_the_page("The training loss goes <up>.")
        revisions = list(CommentRevision.objects.filter(comment=self.comment))
        assert [r.body for r in revisions] == ["The loss goes down.", "The training loss goes down."]
        assert {r.edited_by for r in revisions} == {self.p.alice}
        self.comment.refresh_from_db()
        assert revisions[-1].edited_at == self.comment.edited_at

    def test_an_edit_that_changes_nothing_or_fails_keeps_no_revision(self):
        self.edit_on_the_page("The loss goes down.")
        assert self.edit_on_the_page("   ").status_code == 400
        assert not CommentRevision.objects.exists()
        self.comment.refresh_from_db()
        assert self.comment.edited_at is None

    def test_the_comment_links_edited_to_its_history_drawn_as_a_diff(self):
        self.edit_on_the_page("The training loss goes <up>.")
        page = self.client.get(PAGE).content.decode()
        assert f'<a class="edited" href="/comments/{self.comment.pk}/revisions/"' in page
        self.client.logout()
        response = self.client.get(f"/comments/{self.comment.pk}/revisions/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "As first posted" in html and "The loss goes down." in html
        assert "Edit 1" in html and "by alice" in html
        assert "The<ins> training</ins> loss goes <del>down.</del><ins>&lt;up&gt;.</ins>" in html

    def test_an_unedited_comment_has_a_history_of_one_text(self):
        html = self.client.get(f"/comments/{self.reply.pk}/revisions/").content.decode()
        assert "Never edited." in html and "Which loss?" in html

    def test_the_api_edits_and_lists_the_revisions(self):
        client = client_for(self.p.alice)
        response = client.patch(f"/api/v1/comments/{self.comment.pk}/", {"body": "The loss goes up."}, format="json")
        assert response.status_code == 200
        rows = client_for().get(f"/api/v1/comments/{self.comment.pk}/revisions/").json()
        assert [(r["body"], r["edited_by"]) for r in rows] == [("The loss goes down.", "alice")]
        assert rows[0]["edited_at"] is not None

    def test_a_deleted_comments_history_is_for_its_author_and_curators_only(self):
        self.edit_on_the_page("A regretted claim.")
        services.comment_delete(comment=self.comment, actor=self.p.alice)
        url, api = f"/comments/{self.comment.pk}/revisions/", f"/api/v1/comments/{self.comment.pk}/revisions/"
        for reader in (None, self.p.bob):
            self.client.logout()
            if reader is not None:
                self.client.force_login(reader)
            assert self.client.get(url).status_code == 404
            assert client_for(reader).get(api).status_code == 404
        for reader in (self.p.alice, self.p.carol):
            self.client.force_login(reader)
            assert self.client.get(url).status_code == 200
            assert client_for(reader).get(api).status_code == 200

    def test_a_removed_comments_history_is_hidden_and_returns_with_a_restore(self):
        self.edit_on_the_page("Buy cheap GPUs here")
        services.comment_remove(comment=self.comment, moderator=self.p.carol, reason="Advertising")
        api = f"/api/v1/comments/{self.comment.pk}/revisions/"
        assert client_for(self.dave).get(api).status_code == 404
        assert client_for(self.p.carol).get(api).status_code == 200
        services.comment_restore(comment=self.comment, moderator=self.p.carol, reason="A real vendor")
        assert client_for(self.dave).get(api).status_code == 200

    def test_deleting_removing_and_restoring_keep_the_replies_in_place(self):
        self.client.force_login(self.p.alice)
        self.client.post(f"/comments/{self.comment.pk}/delete/")
        page = self.client.get(PAGE).content.decode()
        assert "[deleted]" in page and f'id="c{self.reply.pk}"' in page and "The loss goes down." not in page
        services.comment_remove(comment=self.reply, moderator=self.p.carol, reason="Off topic")
        page = self.client.get(PAGE).content.decode()
        assert "[removed by a moderator]" in page and "Which loss?" not in page
        self.client.force_login(self.p.carol)
        assert self.client.post(f"/comments/{self.reply.pk}/restore/", {"reason": "On topic"}).status_code == 302
        page = self.client.get(PAGE).content.decode()
        assert "Which loss?" in page and "[deleted]" in page and "(1 comment)" in page

    def test_a_curators_correction_in_the_admin_is_kept_like_an_edit(self):
        self.client.force_login(self.p.carol)
        url = reverse("admin:comments_comment_change", args=[self.comment.pk])
        assert self.client.get(url).status_code == 200
        form = {
            **{"author": self.p.alice.pk, "paper": self.paper.pk, "video": "", "parent": ""},
            **{"body": "The loss goes down (edited by a curator).", "kind": "plain"},
            **{"revisions-TOTAL_FORMS": 0, "revisions-INITIAL_FORMS": 0, "revisions-MAX_NUM_FORMS": 1000},
        }
        response = self.client.post(url, form)
        assert response.status_code == 302, response.context["adminform"].form.errors
        revision = CommentRevision.objects.get(comment=self.comment)
        assert (revision.body, revision.edited_by) == ("The loss goes down.", self.p.carol)
        self.comment.refresh_from_db()
        assert self.comment.edited_at == revision.edited_at
        assert "The loss goes down." in self.client.get(url).content.decode()  # shown in the inline

    def test_a_departing_members_earlier_texts_leave_with_their_text(self):
        self.edit_on_the_page("Something personal.")
        self.p.alice.delete()
        assert not CommentRevision.objects.exists()
        assert Comment.objects.get(pk=self.comment.pk).body == ""

    def test_the_edit_and_its_revision_are_one_transaction(self):
        calls = []

        def failing_create(*args, **kwargs):
            calls.append(kwargs)
            raise RuntimeError("the disk is full")

        original = CommentRevision.objects.create
        CommentRevision.objects.create = failing_create  # type: ignore[method-assign]
        try:
            with self.assertRaises(RuntimeError), transaction.atomic():
                services.comment_edit(comment=self.comment, editor=self.p.alice, body="Lost edit")
        finally:
            CommentRevision.objects.create = original  # type: ignore[method-assign]
        assert calls
        assert Comment.objects.get(pk=self.comment.pk).body == "The loss goes down."
