"""Kinds of comments (issue 13, item 2): a comment is plain, a question, a critique, a summary, an erratum report or a
reproduction report; the discussion filters by kind on the page and in the API; and a question's asker, and only
they, marks one direct reply as the accepted answer."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import RequestContext, Template
from django.test import RequestFactory, TestCase

from comments import services
from comments.models import Comment
from tests.api_support import client_for
from tests.factories import PaperFactory, make_personas
from tests.test_constraints import refused

PAGE = "/papers/2105.06548/"
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


class KindTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.question = services.comment_post(
            author=cls.p.alice, target=cls.paper, body="Why a sigmoid ramp?", kind="question"
        )
        cls.answer = services.comment_post(
            author=cls.p.bob, target=cls.paper, body="It keeps the mask differentiable.", parent=cls.question
        )
        cls.critique = services.comment_post(
            author=cls.p.bob, target=cls.paper, body="Table 3 lacks error bars.", kind="critique"
        )
        cls.plain = services.comment_post(author=cls.p.carol, target=cls.paper, body="Nice read.")

    def test_the_form_takes_a_kind_and_the_comment_shows_its_label(self):
        self.client.force_login(self.p.bob)
        response = self.client.post(
            f"/comments/paper/{self.paper.pk}/new/", {"body": "Ran it: same numbers.", "kind": "reproduction"}
        )
        assert response.status_code == 302
        comment = Comment.objects.get(body="Ran it: same numbers.")
        assert comment.kind == "reproduction"
        page = self.client.get(PAGE).content.decode()
        assert '<span class="kind kind-reproduction">Reproduction report</span>' in page
        assert '<span class="kind kind-critique">Critique</span>' in page
        assert '<span class="kind kind-question">Question</span>' in page
        assert '<select name="kind"' in page

    def test_a_comment_without_a_kind_is_plain_and_a_made_up_kind_is_refused(self):
        self.client.force_login(self.p.bob)
        self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "No kind given"})
        assert Comment.objects.get(body="No kind given").kind == "plain"
        response = self.client.post(f"/comments/paper/{self.paper.pk}/new/", {"body": "Odd", "kind": "rant"})
        assert response.status_code == 400
        assert not Comment.objects.filter(body="Odd").exists()

    def test_the_database_refuses_an_unknown_kind(self):
        with refused():
            Comment.objects.filter(pk=self.plain.pk).update(kind="rant")

    def test_the_page_filters_by_kind_and_keeps_each_match_with_its_replies(self):
        page = self.client.get(PAGE + "?type=question").content.decode()
        assert f'id="c{self.question.pk}"' in page
        assert f'id="c{self.answer.pk}"' in page  # the answers stay under their question
        assert f'id="c{self.critique.pk}"' not in page
        assert f'id="c{self.plain.pk}"' not in page
        assert "Showing questions, with their replies." in page
        assert "(2 comments)" in page
        page = self.client.get(PAGE + "?type=critique&sort=oldest").content.decode()
        assert [f'id="c{self.critique.pk}"' in page, f'id="c{self.question.pk}"' in page] == [True, False]
        # The sort links keep the filter, and an unknown kind shows everything.
        assert "?sort=newest&amp;type=critique#discussion" in page
        page = self.client.get(PAGE + "?type=rant").content.decode()
        assert all(f'id="c{c.pk}"' in page for c in (self.question, self.answer, self.critique, self.plain))

    def test_a_filtered_discussion_reads_as_few_queries_as_the_whole(self):
        template = Template("{% load discussion %}{% discussion paper %}")
        for user, queries in ((self.p.alice, 3), (AnonymousUser(), 2)):  # with the paper's members who are authors
            request = RequestFactory().get(PAGE + "?type=question")
            request.user = user
            with self.assertNumQueries(queries):
                html = template.render(RequestContext(request, {"paper": self.paper}))
            assert html.count("<article") == 2

    def test_the_api_takes_a_kind_and_filters_by_it(self):
        client = client_for(self.p.bob)
        response = client.post("/api/v1/comments/", {"paper": "2105.06548", "body": "In short: ...", "kind": "summary"})
        assert response.status_code == 201, response.json()
        assert response.json()["kind"] == "summary"
        rows = client_for().get("/api/v1/comments/?paper=2105.06548&type=question").json()["results"]
        assert [r["id"] for r in rows] == [self.question.pk]
        rows = client_for().get("/api/v1/comments/?paper=2105.06548&type=summary").json()["results"]
        assert [(r["kind"], r["author"]) for r in rows] == [("summary", "bob")]
        assert client_for().get("/api/v1/comments/?paper=2105.06548&type=rant").status_code == 400
        bad = client.post("/api/v1/comments/", {"paper": "2105.06548", "body": "x", "kind": "rant"})
        assert bad.status_code == 400


class AcceptedAnswerTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.question = services.comment_post(
            author=cls.p.alice, target=cls.paper, body="Does it work on video?", kind="question"
        )
        cls.first = services.comment_post(author=cls.p.bob, target=cls.paper, body="Yes, see 4.2", parent=cls.question)
        cls.second = services.comment_post(author=cls.p.carol, target=cls.paper, body="Not yet", parent=cls.question)
        cls.deeper = services.comment_post(author=cls.p.alice, target=cls.paper, body="Which part?", parent=cls.first)
        cls.remark = services.comment_post(author=cls.p.alice, target=cls.paper, body="A plain remark")
        cls.under_remark = services.comment_post(author=cls.p.bob, target=cls.paper, body="Agreed", parent=cls.remark)

    def accepted(self) -> set[int]:
        return set(Comment.objects.filter(accepted=True).values_list("pk", flat=True))

    def test_the_asker_accepts_a_reply_on_the_page_and_the_question_shows_answered(self):
        page = self.client.get(PAGE).content.decode()
        assert '<span class="unanswered">open</span>' in page
        self.client.force_login(self.p.alice)
        page = self.client.get(PAGE).content.decode()
        assert page.count('<button class="accept" name="action" value="accept">Accept answer</button>') == 2
        response = self.client.post(f"/comments/{self.first.pk}/accept/", {"action": "accept"})
        assert response.status_code == 302
        assert self.accepted() == {self.first.pk}
        page = self.client.get(PAGE).content.decode()
        assert '<span class="answered">answered</span>' in page
        assert f'<article class="comment accepted" id="c{self.first.pk}"' in page
        assert "✓ accepted answer" in page
        assert "Unaccept answer" in page

    def test_the_asker_changes_the_accepted_answer_and_can_take_it_back(self):
        self.client.force_login(self.p.alice)
        self.client.post(f"/comments/{self.first.pk}/accept/", {"action": "accept"})
        self.client.post(f"/comments/{self.second.pk}/accept/", {"action": "accept"})
        assert self.accepted() == {self.second.pk}
        self.client.post(f"/comments/{self.second.pk}/accept/", {"action": "unaccept"})
        assert self.accepted() == set()
        page = self.client.get(PAGE).content.decode()
        assert '<span class="unanswered">open</span>' in page

    def test_nobody_but_the_asker_accepts(self):
        for member in (self.p.bob, self.p.carol):  # the answer's author, and a curator
            self.client.force_login(member)
            assert self.client.post(f"/comments/{self.first.pk}/accept/", {"action": "accept"}).status_code == 403
            page = self.client.get(PAGE).content.decode()
            assert "Accept answer" not in page
        self.client.logout()
        assert self.client.post(f"/comments/{self.first.pk}/accept/").status_code == 302  # to log in
        assert self.accepted() == set()
        with self.assertRaises(PermissionDenied):
            services.answer_accept(answer=self.first, actor=self.p.bob)

    def test_only_a_direct_reply_to_a_question_can_be_accepted(self):
        self.client.force_login(self.p.alice)
        for comment in (self.deeper, self.under_remark, self.question):
            response = self.client.post(f"/comments/{comment.pk}/accept/", {"action": "accept"})
            assert response.status_code == 400, comment.body
        assert self.accepted() == set()

    def test_a_deleted_answer_cannot_be_accepted_and_no_longer_answers(self):
        services.answer_accept(answer=self.first, actor=self.p.alice)
        services.comment_delete(comment=self.first, actor=self.p.bob)
        page = self.client.get(PAGE).content.decode()
        assert '<span class="unanswered">open</span>' in page
        with self.assertRaises(ValidationError):
            services.answer_accept(answer=self.first, actor=self.p.alice)

    def test_the_database_keeps_one_accepted_answer_per_question_and_only_on_replies(self):
        Comment.objects.filter(pk=self.first.pk).update(accepted=True)
        with refused():
            Comment.objects.filter(pk=self.second.pk).update(accepted=True)
        with refused():
            Comment.objects.filter(pk=self.question.pk).update(accepted=True)

    def test_the_api_accepts_for_the_asker_only_and_shows_answered(self):
        assert client_for(self.p.bob).post(f"/api/v1/comments/{self.first.pk}/accept/").status_code == 403
        assert client_for().post(f"/api/v1/comments/{self.first.pk}/accept/").status_code == 401
        response = client_for(self.p.alice).post(f"/api/v1/comments/{self.first.pk}/accept/")
        assert response.status_code == 200
        assert response.json() == {"id": self.first.pk, "question": self.question.pk, "accepted": True}
        rows = {r["id"]: r for r in client_for().get("/api/v1/comments/?paper=2105.06548").json()["results"]}
        assert (rows[self.question.pk]["answered"], rows[self.first.pk]["accepted"]) == (True, True)
        assert (rows[self.remark.pk]["answered"], rows[self.second.pk]["accepted"]) == (False, False)
        assert client_for(self.p.alice).post(f"/api/v1/comments/{self.deeper.pk}/accept/").status_code == 400
        response = client_for(self.p.alice).delete(f"/api/v1/comments/{self.first.pk}/accept/")
        assert response.json()["accepted"] is False
        assert client_for().get(f"/api/v1/comments/{self.question.pk}/").json()["answered"] is False
