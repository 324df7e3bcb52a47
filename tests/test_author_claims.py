"""Issue 13, item 7: a member claims an author of the catalogue from the author's page, a curator decides in the
admin, and once approved the member's comments on that author's papers carry an author badge (one query a page)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import claims
from accounts.models import AuthorClaim
from comments import services
from tests.factories import AuthorFactory, PaperFactory, make_personas

BADGE = '<span class="badge paper-author"'


class ClaimCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.ada = AuthorFactory(name="Ada Lovelace", key="ada lovelace")
        cls.own = PaperFactory(arxiv_id="2105.06548", authors=[cls.ada, "Charles Babbage"])
        cls.other = PaperFactory(arxiv_id="2105.01601", authors=["Alan Turing"])


class ClaimRuleTests(ClaimCase):
    def test_a_member_claims_once_and_a_curator_decides(self):
        claim = claims.claim_author(member=self.p.alice, author=self.ada, evidence="  https://ada.example  ")
        assert (claim.status, claim.evidence) == ("pending", "https://ada.example")
        with self.assertRaises(ValidationError):
            claims.claim_author(member=self.p.alice, author=self.ada)
        with self.assertRaises(PermissionDenied):
            claims.claim_decide(claim=claim, curator=self.p.bob, approve=True)
        claim = claims.claim_decide(claim=claim, curator=self.p.carol, approve=True)
        assert (claim.status, claim.decided_by) == ("approved", self.p.carol) and claim.decided_at is not None
        with self.assertRaises(ValidationError):  # approved: still open
            claims.claim_author(member=self.p.alice, author=self.ada)

    def test_after_a_rejection_a_member_may_claim_again(self):
        claim = claims.claim_author(member=self.p.alice, author=self.ada)
        claims.claim_decide(claim=claim, curator=self.p.carol, approve=False)
        assert claims.claim_author(member=self.p.alice, author=self.ada).status == "pending"

    def test_the_database_keeps_one_open_claim_per_member_and_author(self):
        AuthorClaim.objects.create(user=self.p.alice, author=self.ada)
        with self.assertRaises(IntegrityError), transaction.atomic():
            AuthorClaim.objects.create(user=self.p.alice, author=self.ada)


class ClaimPageTests(ClaimCase):
    def test_the_author_page_offers_members_the_claim_and_shows_its_state(self):
        url = self.ada.get_absolute_url()
        claim_url = reverse("claim_author", args=[self.ada.pk])
        assert claim_url not in self.client.get(url).content.decode()  # visitors
        self.client.force_login(self.p.alice)
        assert claim_url in self.client.get(url).content.decode()
        assert self.client.get(claim_url).status_code == 200
        response = self.client.post(claim_url, {"evidence": "My homepage"})
        assert response.status_code == 302 and response["Location"] == url
        assert "waiting for a curator" in self.client.get(url).content.decode()
        assert self.client.post(claim_url, {}).status_code == 400  # a second claim
        claims.claim_decide(claim=AuthorClaim.objects.get(), curator=self.p.carol, approve=True)
        self.client.logout()
        page = self.client.get(url).content.decode()
        assert "On Paper Hub as" in page and reverse("profile", args=["alice"]) in page

    def test_curators_decide_in_the_admin(self):
        claim = claims.claim_author(member=self.p.alice, author=self.ada)
        self.client.force_login(self.p.carol)
        url = reverse("admin:accounts_authorclaim_changelist")
        assert self.client.get(url, {"status": "pending"}).status_code == 200
        self.client.post(url, {"action": "approve_claims", "_selected_action": [claim.pk]})
        claim.refresh_from_db()
        assert (claim.status, claim.decided_by) == ("approved", self.p.carol)
        self.client.post(url, {"action": "reject_claims", "_selected_action": [claim.pk]})
        claim.refresh_from_db()
        assert claim.status == "rejected"


class AuthorBadgeTests(ClaimCase):
    def approve(self, member, author) -> None:
        claims.claim_decide(claim=claims.claim_author(member=member, author=author), curator=self.p.carol, approve=True)

    def test_approved_authors_comments_on_their_papers_carry_the_badge(self):
        services.comment_post(author=self.p.alice, target=self.own, body="I wrote this")
        services.comment_post(author=self.p.alice, target=self.other, body="Not mine")
        services.comment_post(author=self.p.bob, target=self.own, body="A reader")
        page = self.client.get(self.own.get_absolute_url()).content.decode()
        assert BADGE not in page  # no claim yet
        claims.claim_author(member=self.p.alice, author=self.ada)
        assert BADGE not in self.client.get(self.own.get_absolute_url()).content.decode()  # pending
        claims.claim_decide(claim=AuthorClaim.objects.get(), curator=self.p.carol, approve=True)
        page = self.client.get(self.own.get_absolute_url()).content.decode()
        assert page.count(BADGE) == 1 and "by-author" in page
        assert BADGE not in self.client.get(self.other.get_absolute_url()).content.decode()

    def test_the_badge_costs_one_query_whatever_the_size_of_the_discussion(self):
        self.approve(self.p.alice, self.ada)
        small = PaperFactory(arxiv_id="2105.00001", authors=[self.ada])
        large = PaperFactory(arxiv_id="2105.00002", authors=[self.ada])
        services.comment_post(author=self.p.alice, target=small, body="One")
        # One thread of 200 comments, so that the first page of threads draws every one of them.
        root = services.comment_post(author=self.p.bob, target=large, body="Comment 0")
        for n in range(1, 200):
            services.comment_post(
                author=self.p.alice if n % 2 else self.p.bob, target=large, body=f"Comment {n}", parent=root
            )
        self.client.force_login(self.p.bob)
        with CaptureQueriesContext(connection) as first:
            self.client.get(small.get_absolute_url())
        with self.assertNumQueries(len(first)):
            page = self.client.get(large.get_absolute_url()).content.decode()
        assert page.count(BADGE) == 100


class AuthorRepliesFirstTests(ClaimCase):
    """The "author replies first" sort lifts the comments of members whose claim on one of the paper's authors a
    curator approved, on the page and in the API alike."""

    def test_an_approved_authors_comment_comes_first_on_page_and_api(self):
        paper = PaperFactory(arxiv_id="2105.00003", authors=[self.ada])
        reader = services.comment_post(author=self.p.bob, target=paper, body="A reader's comment")
        services.vote_cast(user=self.p.carol, comment=reader, value=1)  # the reader's is best otherwise
        own = services.comment_post(author=self.p.alice, target=paper, body="The author's comment")
        first = [reader.pk, own.pk]

        def page_order() -> list[int]:
            page = self.client.get(paper.get_absolute_url(), {"sort": "authors"}).content.decode()
            return sorted(first, key=lambda pk: page.index(f'id="c{pk}"'))

        def api_order() -> list[int]:
            response = self.client.get("/api/v1/comments/", {"paper": paper.arxiv_id, "ordering": "authors"})
            return [row["id"] for row in response.json()["results"]]

        assert page_order() == api_order() == first  # no approved claim: the best first
        claims.claim_decide(claim=claims.claim_author(member=self.p.alice, author=self.ada), curator=self.p.carol,
                            approve=True)  # fmt: skip
        assert page_order() == api_order() == [own.pk, reader.pk]
