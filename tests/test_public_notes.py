"""Others' reading notes (issue 13, item 8): a paper's and a video's page list the public notes on it, newest first,
with a count; /notes/public/ pages every member's public notes, with an Atom feed; the API lists them at
/api/v1/notes/public/. A private note is in none of them, for a visitor, another member, a curator, or its owner."""

from __future__ import annotations

import datetime

import feedparser
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Note
from comments.templatetags.discussion import PUBLIC_NOTES_SHOWN
from tests.factories import ChannelFactory, NoteFactory, PaperFactory, UserFactory, VideoFactory, make_personas
from tests.pages import PUBLIC_NOTES_QUERIES

SECRET = "Alice secret reading"  # no apostrophe: the pages escape one, and "not in" would pass vacuously
VIDEO_SECRET = "Bob secret viewing"


def published(owner, title: str, *, days_ago: int, **subject) -> Note:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return NoteFactory(owner=owner, title=title, visibility="public", published_at=when, **subject)


def section(html: str) -> str:
    return html.split('id="public-notes-title"')[1].split("</section>")[0]


class PublicNotesOnPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.video = VideoFactory(slug="expire-span-explained", title="Expire-Span explained", channel=ChannelFactory())
        cls.older = published(cls.p.bob, "Bob on forgetting", days_ago=3, paper=cls.paper)
        cls.newer = published(cls.p.alice, "Alice on expiry", days_ago=1, paper=cls.paper)
        cls.on_video = published(cls.p.bob, "Bob watched it", days_ago=2, video=cls.video)
        NoteFactory(owner=cls.p.alice, title=SECRET, paper=cls.paper)
        NoteFactory(owner=cls.p.bob, title=VIDEO_SECRET, video=cls.video)

    def viewers(self):
        yield "visitor", None
        yield "another member", UserFactory(username="dora")
        yield "curator", self.p.carol

    def test_a_paper_page_lists_its_public_notes_newest_first_with_a_count(self):
        html = self.client.get("/papers/2105.06548/").content.decode()
        notes = section(html)
        assert "(2 public notes)" in notes
        assert notes.index("Alice on expiry") < notes.index("Bob on forgetting")
        assert f'href="/notes/{self.newer.pk}/"' in notes and f'href="/notes/{self.older.pk}/"' in notes
        assert 'href="/u/alice/"' in notes
        assert "Bob watched it" not in notes

    def test_a_video_page_lists_its_public_notes(self):
        notes = section(self.client.get("/videos/expire-span-explained/").content.decode())
        assert "(1 public note)" in notes
        assert f'href="/notes/{self.on_video.pk}/"' in notes

    def test_no_one_but_the_owner_sees_a_private_note_on_the_pages(self):
        for name, user in self.viewers():
            with self.subTest(viewer=name):
                self.client.logout()
                if user is not None:
                    self.client.force_login(user)
                paper = self.client.get("/papers/2105.06548/").content.decode()
                video = self.client.get("/videos/expire-span-explained/").content.decode()
                assert SECRET not in paper and VIDEO_SECRET not in video
                assert "(2 public notes)" in section(paper) and "(1 public note)" in section(video)

    def test_the_owner_sees_their_private_note_under_my_notes_only(self):
        self.client.force_login(self.p.alice)
        html = self.client.get("/papers/2105.06548/").content.decode()
        assert SECRET in html.split('id="my-notes-title"')[1].split("</section>")[0]
        assert SECRET not in section(html)
        assert "(2 public notes)" in section(html)

    def test_a_long_list_shows_the_newest_and_links_to_all(self):
        for i in range(PUBLIC_NOTES_SHOWN + 2):
            published(self.p.carol, f"Curator note {i:02d}", days_ago=0, paper=self.paper)
        notes = section(self.client.get("/papers/2105.06548/").content.decode())
        assert notes.count("<li>") == PUBLIC_NOTES_SHOWN
        assert f"({PUBLIC_NOTES_SHOWN + 4} public notes)" in notes
        assert 'href="/notes/public/?paper=2105.06548"' in notes

    def test_a_paper_page_says_when_there_are_none(self):
        PaperFactory(arxiv_id="2105.00001")
        notes = section(self.client.get("/papers/2105.00001/").content.decode())
        assert "(0 public notes)" in notes and "No member has published a note on this paper yet." in notes


class PublicNotesQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548")
        cls.video = VideoFactory(slug="expire-span-explained", channel=ChannelFactory())

    def tag_queries(self, target) -> int:
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        with CaptureQueriesContext(connection) as captured:
            Template("{% load discussion %}{% public_notes target %}").render(Context({"target": target}))
        return len(captured)

    def page_queries(self, url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert self.client.get(url).status_code == 200
        return len(captured)

    def test_the_tag_takes_one_query_for_none_or_thirty_notes(self):
        for target in (self.paper, self.video):
            assert self.tag_queries(target) == PUBLIC_NOTES_QUERIES
        pages = [self.page_queries("/papers/2105.06548/"), self.page_queries("/videos/expire-span-explained/")]
        for i in range(30):
            subject = {"paper": self.paper} if i % 2 else {"video": self.video}
            published(self.p.alice if i % 3 else self.p.bob, f"Note {i}", days_ago=i, **subject)
            NoteFactory(owner=self.p.bob, title=f"Private {i}", **subject)
        for target in (self.paper, self.video):
            assert self.tag_queries(target) == PUBLIC_NOTES_QUERIES
        assert [self.page_queries("/papers/2105.06548/"), self.page_queries("/videos/expire-span-explained/")] == pages


class PublicNotesPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.paper = PaperFactory(arxiv_id="2105.06548", title="Expire-Span")
        cls.video = VideoFactory(slug="expire-span-explained", title="Expire-Span explained", channel=ChannelFactory())
        cls.notes = [published(cls.p.bob, f"Public {i:02d}", days_ago=30 - i) for i in range(26)]
        cls.on_paper = published(cls.p.alice, "On the paper", days_ago=40, paper=cls.paper)
        cls.on_video = published(cls.p.alice, "On the video", days_ago=41, video=cls.video)
        NoteFactory(owner=cls.p.alice, title=SECRET, paper=cls.paper)

    def test_the_newest_public_notes_paged_without_a_private_one(self):
        for user in (None, self.p.bob, self.p.carol, self.p.alice):
            with self.subTest(viewer=user and user.username):
                self.client.logout()
                if user is not None:
                    self.client.force_login(user)
                first = self.client.get("/notes/public/").content.decode()
                assert first.index("Public 25") < first.index("Public 24") < first.index("Public 01")
                assert "Public 00" not in first and SECRET not in first
                assert 'href="?page=2"' in first
                second = self.client.get("/notes/public/?page=2").content.decode()
                assert second.index("Public 00") < second.index("On the paper") < second.index("On the video")
                assert SECRET not in second

    def test_the_notes_on_one_paper_or_video(self):
        html = self.client.get("/notes/public/?paper=arXiv:2105.06548v2").content.decode()
        assert "On the paper" in html and "On the video" not in html and "Public 25" not in html
        assert SECRET not in html
        html = self.client.get("/notes/public/?video=expire-span-explained").content.decode()
        assert "On the video" in html and "On the paper" not in html
        assert self.client.get("/notes/public/?paper=2105.99999").status_code == 404
        assert self.client.get("/notes/public/?video=no-such-video").status_code == 404

    def test_a_deactivated_members_notes_leave_the_list(self):
        self.p.bob.is_active = False
        self.p.bob.save()
        html = self.client.get("/notes/public/").content.decode()
        assert "Public 25" not in html and "On the paper" in html

    def test_the_page_takes_the_same_queries_for_few_and_many_notes(self):
        with CaptureQueriesContext(connection) as many:
            assert self.client.get("/notes/public/").status_code == 200
        Note.objects.exclude(title=SECRET).exclude(pk__in=[self.notes[0].pk]).delete()
        with self.assertNumQueries(len(many)):
            assert self.client.get("/notes/public/").status_code == 200

    def test_the_atom_feed(self):
        response = self.client.get("/notes/public/feed/")
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == "atom10"
        assert feed.feed.title == "Members' reading notes · Paper Hub"
        titles = [entry.title for entry in feed.entries]
        assert titles[:2] == ["Public 25", "Public 24"] and titles[-1] == "On the video"
        assert SECRET not in response.content.decode()
        assert feed.entries[0].author == "bob"
        assert feed.entries[0].link.endswith(f"/notes/{self.notes[25].pk}/")

    def test_the_page_links_to_its_feed_and_the_site_links_to_the_page(self):
        html = self.client.get("/notes/public/").content.decode()
        assert 'type="application/atom+xml" title="Paper Hub: members\' public notes" href="/notes/public/feed/"' in (
            html.replace("&#x27;", "'")
        )
        assert 'href="/notes/public/"' in self.client.get("/").content.decode()
