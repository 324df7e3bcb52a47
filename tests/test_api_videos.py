"""The channels, videos, chapters and corrections API: read by anyone, changed by curators only."""

from __future__ import annotations

import datetime

from django.test import TestCase

from tests.api_support import assert_same_queries, client_for
from tests.factories import (
    ChannelFactory,
    ChapterFactory,
    CodeLinkFactory,
    CorrectionFactory,
    PaperFactory,
    TagFactory,
    UserFactory,
    VideoFactory,
    VideoPaperFactory,
    make_personas,
)
from videos.models import Chapter, Video, VideoPaper


class VideoReadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.channel = ChannelFactory(slug="paper-explained", name="Paper Explained", owner=cls.people.bob)
        cls.video = VideoFactory(
            channel=cls.channel, slug="expire-span", title="Expire-Span explained", published=datetime.date(2021, 5, 20)
        )
        cls.video.tags.add(TagFactory(name="memory"))
        VideoPaperFactory(video=cls.video, paper=PaperFactory(arxiv_id="2105.06548", title="Expire-Span"))
        VideoPaperFactory(
            video=cls.video, paper=PaperFactory(arxiv_id="1706.03762", title="Attention"), role="previous", position=1
        )
        ChapterFactory(video=cls.video, start=0, title="Intro")
        ChapterFactory(video=cls.video, start=95, title="The idea")
        CorrectionFactory(video=cls.video, kind="erratum", body="The loss is *validation* loss.", at=300)
        CodeLinkFactory(video=cls.video, url="https://github.com/example/expire-span")
        VideoFactory(channel=cls.channel, slug="fnet", title="FNet", published=datetime.date(2021, 5, 10))

    def test_channels(self):
        body = client_for().get("/api/v1/channels/").json()
        assert [(c["slug"], c["owner"], c["videos_url"]) for c in body["results"]] == [
            ("paper-explained", "bob", "/api/v1/videos/?channel=paper-explained")
        ]
        assert client_for().get("/api/v1/channels/paper-explained/").json()["name"] == "Paper Explained"

    def test_videos_newest_first_with_filters(self):
        client = client_for()
        assert [v["slug"] for v in client.get("/api/v1/videos/").json()["results"]] == ["expire-span", "fnet"]
        assert [v["slug"] for v in client.get("/api/v1/videos/?paper=2105.06548v1").json()["results"]] == [
            "expire-span"
        ]
        assert [v["slug"] for v in client.get("/api/v1/videos/?tag=memory").json()["results"]] == ["expire-span"]
        assert client.get("/api/v1/videos/?channel=nobody").json()["results"] == []

    def test_video_detail_has_chapters_corrections_and_papers(self):
        body = client_for().get("/api/v1/videos/expire-span/").json()
        assert [(c["start"], c["title"]) for c in body["chapters"]] == [(0, "Intro"), (95, "The idea")]
        assert [(c["kind"], c["body_html"], c["at"]) for c in body["corrections"]] == [
            ("erratum", "<p>The loss is <em>validation</em> loss.</p>", 300)
        ]
        assert [(p["arxiv_id"], p["role"]) for p in body["papers"]] == [
            ("2105.06548", "explained"),
            ("1706.03762", "previous"),
        ]
        assert body["tags"] == ["memory"]
        assert body["code_links"] == ["https://github.com/example/expire-span"]
        assert body["channel"] == "paper-explained"

    def test_chapters_and_corrections_lists(self):
        client = client_for()
        chapters = client.get("/api/v1/chapters/?video=expire-span").json()["results"]
        assert [(c["video"], c["start"]) for c in chapters] == [("expire-span", 0), ("expire-span", 95)]
        corrections = client.get("/api/v1/corrections/?kind=erratum").json()["results"]
        assert [c["video"] for c in corrections] == ["expire-span"]
        assert client.get("/api/v1/corrections/?kind=rumour").status_code == 400


class CatalogueWriteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.channel = ChannelFactory(slug="paper-explained")
        cls.video = VideoFactory(channel=cls.channel, slug="expire-span")
        cls.chapter = ChapterFactory(video=cls.video, start=0, title="Intro")

    WRITES = [
        ("post", "/api/v1/channels/", {"slug": "new-channel", "name": "New"}),
        ("patch", "/api/v1/channels/paper-explained/", {"name": "Renamed"}),
        ("post", "/api/v1/videos/", {"slug": "new-video", "title": "New", "channel": "paper-explained"}),
        ("patch", "/api/v1/videos/expire-span/", {"title": "Renamed"}),
        ("post", "/api/v1/chapters/", {"video": "expire-span", "start": 60, "title": "Method"}),
        ("post", "/api/v1/corrections/", {"video": "expire-span", "kind": "addendum", "body": "Code is out."}),
    ]

    def test_anonymous_gets_401_and_members_403(self):
        for method, url, data in self.WRITES:
            assert getattr(client_for(), method)(url, data, format="json").status_code == 401, url
            assert getattr(client_for(self.people.alice), method)(url, data, format="json").status_code == 403, url
        assert client_for(self.people.alice).delete(f"/api/v1/chapters/{self.chapter.pk}/").status_code == 403
        assert Video.objects.get(pk=self.video.pk).title != "Renamed"

    def test_curators_create_and_change(self):
        carol = client_for(self.people.carol)
        expected = [201, 200, 201, 200, 201, 201]
        for (method, url, data), status in zip(self.WRITES, expected, strict=True):
            response = getattr(carol, method)(url, data, format="json")
            assert response.status_code == status, (url, response.json())
        assert carol.delete(f"/api/v1/chapters/{self.chapter.pk}/").status_code == 204
        assert list(Chapter.objects.values_list("start", flat=True)) == [60]

    def test_constraint_breaches_answer_400_not_500(self):
        carol = client_for(self.people.carol)
        cases = [
            ("/api/v1/chapters/", {"video": "expire-span", "start": 0, "title": "Again at 0"}, "non_field_errors"),
            ("/api/v1/chapters/", {"video": "expire-span", "start": -5, "title": "Before"}, "start"),
            ("/api/v1/videos/", {"slug": "expire-span", "title": "Dup", "channel": "paper-explained"}, "slug"),
            ("/api/v1/videos/", {"slug": "zero", "title": "Z", "channel": "paper-explained", "duration": 0}, None),
            ("/api/v1/corrections/", {"video": "expire-span", "kind": "gossip", "body": "x"}, "kind"),
        ]
        for url, data, field in cases:
            response = carol.post(url, data, format="json")
            assert response.status_code == 400, (data, response.json())
            if field:
                assert field in response.json()["fields"], (data, response.json())


class VideoQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        channel = ChannelFactory()
        tag = TagFactory()
        for n in range(100):
            video = VideoFactory(channel=channel)
            video.tags.add(tag)
            VideoPaperFactory(video=video)
            ChapterFactory(video=video, start=0)
            CorrectionFactory(video=video)
            ChannelFactory(slug=f"channel-{n}", name=f"Channel {n}", owner=UserFactory(username=f"host{n}"))

    def test_lists_do_not_grow_with_the_page(self):
        client = client_for()
        for url in ("/api/v1/videos/", "/api/v1/chapters/", "/api/v1/corrections/", "/api/v1/channels/"):
            assert_same_queries(
                lambda url=url: client.get(f"{url}?page_size=5"), lambda url=url: client.get(f"{url}?page_size=100")
            )
        assert VideoPaper.objects.count() == 100


class VideoSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        channel = ChannelFactory(slug="paper-explained")
        cls.video = VideoFactory(channel=channel, slug="expire-span", title="Expire-Span: forgetting in transformers")
        VideoPaperFactory(video=cls.video, paper=PaperFactory(arxiv_id="2105.06548"))
        VideoFactory(channel=channel, slug="fnet", title="FNet: mixing tokens with Fourier transforms")

    def test_search_finds_videos_with_highlights(self):
        response = client_for().get("/api/v1/search/videos/?q=forgetting")
        assert response.status_code == 200
        body = response.json()
        assert [v["slug"] for v in body["results"]] == ["expire-span"]
        assert "<mark>" in body["results"][0]["highlight"]["title_html"]
        assert [p["arxiv_id"] for p in body["results"][0]["papers"]] == ["2105.06548"]

    def test_search_needs_words(self):
        for url in ("/api/v1/search/videos/", "/api/v1/search/videos/?q=%20", "/api/v1/search/videos/?q=x&page=0"):
            response = client_for().get(url)
            assert response.status_code == 400, url
            assert response.json()["code"] == "invalid"
