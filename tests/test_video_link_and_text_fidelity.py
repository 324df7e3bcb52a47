"""Issue 12 on videos: links a description cut short ("...") stay text and are flagged; mojibake is repaired on import.

YouTube shows a long link as its first characters and "..."; the demo's texts and the seed 003 were copied that way
(`Code: https://github.com/facebookresearch/t...`). Such a text is kept as written, never linked (pages, API), and
curators find it in the admin. Text that arrives double-decoded ("WÃ¼bben") is repaired where videos are imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse

from tests.api_support import client_for
from tests.factories import make_personas
from videos.description import VideoDescription, cut_short_prefix, is_cut_short, parse_description
from videos.importers import channel_named, import_episodes, import_video, read_description_text
from videos.incoming import read_feed
from videos.models import CodeLink, Video

DEMO = Path(__file__).resolve().parents[1] / "hub" / "demo" / "videos"
CUT = "https://github.com/facebookresearch/t..."
FULL = "https://github.com/facebookresearch/transformer-sequential"


# ---------------------------------------------------------------------------------------------------------------------
# The rule, and the parser's marks
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        CUT,
        "https://github.com/facebookresearch/t…",
        "https://ai.facebook.com/blog/self-sup...",
        "https://www.youtube.com/watch?v=YPfUi...",
        "http://bit.ly/...",
    ],
)
def test_links_cut_short(url: str) -> None:
    assert is_cut_short(url)
    assert not is_cut_short(cut_short_prefix(url))


@pytest.mark.parametrize(
    "url",
    [FULL, "https://github.com/a/b.", "https://example.org/a..b", "https://example.org/...x", "see the code..."],
)
def test_links_not_cut_short(url: str) -> None:
    assert not is_cut_short(url)


def test_cut_short_prefix() -> None:
    assert cut_short_prefix(CUT) == "https://github.com/facebookresearch/t"
    assert cut_short_prefix("https://github.com/facebookresearch/t…") == "https://github.com/facebookresearch/t"


def demo(name: str) -> VideoDescription:
    return read_description_text((DEMO / name).read_text(encoding="utf-8")).description


def test_the_parser_marks_the_demo_links_cut_short() -> None:
    expire_span = demo("01-expire-span.txt")
    assert expire_span.code_urls == (CUT,)
    assert expire_span.cut_short_urls == (CUT,)
    dark_matter = demo("10-self-supervised-learning-dark-matter.txt")
    assert [link.url for link in dark_matter.other_links if link.cut_short] == list(dark_matter.cut_short_urls)
    assert dark_matter.cut_short_urls == (
        "https://ai.facebook.com/blog/self-sup...",
        "https://www.youtube.com/watch?v=YPfUi...",
    )
    # The cut short links are marked, not reported: the description was read as well as it can be.
    assert dark_matter.problems == ()
    # Three of the demo's videos have their code link cut short.
    cut = [path.name for path in sorted(DEMO.glob("*.txt")) if any(map(is_cut_short, demo(path.name).code_urls))]
    assert cut == [
        "01-expire-span.txt",
        "04-ddpm-diffusion-beats-gans.txt",
        "09-pretrained-transformers-universal-computation.txt",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Paper: https://arxiv.org/abs/2105.06548...",
        "Paper: https://arxiv.org/abs/2105.06548…",
        "Paper (previous): https://arxiv.org/pdf/2105.06548v2...",
        "My earlier video's paper: https://arxiv.org/abs/2105.06548...",
    ],
)
def test_an_arxiv_link_cut_short_is_never_a_paper(line: str) -> None:
    description = parse_description(line)
    assert description.papers == ()
    assert [link.cut_short for link in description.other_links] == [True]
    assert len(description.problems) == 1
    assert "cut short" in description.problems[0]


def test_an_arxiv_link_cut_short_in_prose_is_never_a_paper() -> None:
    description = parse_description("Built on https://arxiv.org/abs/2105.06548... from last year.")
    assert description.papers == ()
    assert any("cut short" in problem for problem in description.problems), description.problems


# ---------------------------------------------------------------------------------------------------------------------
# Stored, shown, served, flagged
# ---------------------------------------------------------------------------------------------------------------------


def import_expire_span(code: str = CUT) -> Video:
    text = f"A summary.\nOUTLINE:\n0:00 - Intro\n2:30 - Memory\nPaper: https://arxiv.org/abs/2105.06548\nCode: {code}"
    return import_video(
        channel=channel_named("Paper Explained"),
        title="Expire-Span",
        description=parse_description(text),
        url="https://www.youtube.com/watch?v=2PYLNHqxd5A",
    ).video


class CutShortLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.video = import_expire_span()
        cls.whole = import_video(
            channel=channel_named("Paper Explained"),
            title="FNet",
            description=parse_description("Code: https://github.com/google-research/google-research/tree/master/f_net"),
        ).video

    def test_stored_as_written_and_found_by_the_one_rule(self):
        link = self.video.code_links.get()
        assert (link.url, link.cut_short) == (CUT, True)
        assert list(CodeLink.objects.cut_short()) == [link]
        assert not self.whole.code_links.get().cut_short

    def test_the_page_shows_it_as_text_and_links_the_whole_ones(self):
        page = self.client.get(self.video.get_absolute_url()).content.decode()
        assert CUT in page
        assert f'href="{CUT}"' not in page
        assert "cut short in the video's description" in page
        whole = self.client.get(self.whole.get_absolute_url()).content.decode()
        assert 'href="https://github.com/google-research/google-research/tree/master/f_net"' in whole

    def test_the_api_lists_it_apart_from_the_links(self):
        body = client_for().get(f"/api/v1/videos/{self.video.slug}/").json()
        assert (body["code_links"], body["code_links_cut_short"]) == ([], [CUT])
        body = client_for().get(f"/api/v1/videos/{self.whole.slug}/").json()
        assert body["code_links"] == ["https://github.com/google-research/google-research/tree/master/f_net"]
        assert body["code_links_cut_short"] == []

    def test_the_admin_filters_videos_by_it_and_warns_on_the_link(self):
        self.client.force_login(self.people.carol)
        changelist = reverse("admin:videos_video_changelist")
        flagged = self.client.get(changelist, {"code_link_cut_short": "yes"})
        assert list(flagged.context["cl"].result_list) == [self.video]
        assert list(self.client.get(changelist, {"code_link_cut_short": "no"}).context["cl"].result_list) == [
            self.whole
        ]
        assert "code link cut short" in self.client.get(changelist).content.decode()
        change = self.client.get(reverse("admin:videos_video_change", args=[self.video.pk])).content.decode()
        assert "Cut short by the description" in change
        change = self.client.get(reverse("admin:videos_video_change", args=[self.whole.pk])).content.decode()
        assert "Cut short by the description" not in change

    def test_a_curators_full_address_survives_a_re_import(self):
        link = self.video.code_links.get()
        link.url = FULL
        link.save()
        modified = Video.objects.get(pk=self.video.pk).modified_at
        again = import_expire_span()
        assert (again.pk, list(again.code_links.values_list("url", flat=True))) == (self.video.pk, [FULL])
        assert Video.objects.get(pk=self.video.pk).modified_at == modified
        assert not CodeLink.objects.cut_short().exists()
        # A new link in the description still replaces it.
        changed = import_expire_span(code="https://github.com/facebookresearch/other-repo")
        assert list(changed.code_links.values_list("url", flat=True)) == [
            "https://github.com/facebookresearch/other-repo"
        ]


# ---------------------------------------------------------------------------------------------------------------------
# Mojibake
# ---------------------------------------------------------------------------------------------------------------------

MOJIBAKE_DESCRIPTION = (
    "May 26, 2021 • 42min\n"
    "Learning to forget with Carsten WÃ¼bben\n"
    "A naÃ¯ve memory forgets nothing; ErdÅ‘s would approve.\n"
    "OUTLINE:\n"
    "0:00 - Intro\n"
    "2:30 - SchrÃ¶dinger's memory\n"
    "5:00 - Results\n"
)


class MojibakeTests(TestCase):
    def test_a_pasted_description_is_repaired_before_it_is_read(self):
        pasted = read_description_text(MOJIBAKE_DESCRIPTION)
        assert pasted.title == "Learning to forget with Carsten Wübben"
        assert pasted.description.summary == "A naïve memory forgets nothing; Erdős would approve."
        assert [chapter.title for chapter in pasted.description.chapters] == [
            "Intro",
            "Schrödinger's memory",
            "Results",
        ]
        video = import_video(
            channel=channel_named("Paper Explained"),
            title=pasted.title,
            description=pasted.description,
            duration=pasted.duration,
        ).video
        assert video.title == "Learning to forget with Carsten Wübben"
        assert video.chapters.get(start=150).title == "Schrödinger's memory"

    def test_a_title_given_double_decoded_is_repaired_and_finds_its_video_again(self):
        first = import_video(
            channel=channel_named("Paper Explained"), title="Carsten WÃ¼bben", description=parse_description("")
        )
        again = import_video(
            channel=channel_named("Paper Explained"), title="Carsten Wübben", description=parse_description("")
        )
        assert first.video.title == "Carsten Wübben"
        assert (again.video.pk, again.created, again.changed) == (first.video.pk, False, False)

    def test_a_feed_text_page_is_repaired(self):
        channel, episodes = read_feed(("Paper Explained\n\n" + MOJIBAKE_DESCRIPTION).encode())
        assert episodes[0].episode.title == "Learning to forget with Carsten Wübben"
        assert episodes[0].episode.description.summary.startswith("A naïve memory")

    def test_an_rss_feed_is_repaired_and_a_second_import_changes_nothing(self):
        rss = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Papers Ã  la carte</title>'
            "<description>Explained by Carsten WÃ¼bben.</description><item><title>FNet with JÃ¶rg</title>"
            "<link>https://www.youtube.com/watch?v=JJR3pBl78zw</link><description><![CDATA[<p>A naÃ¯ve mixer.</p>"
            "<p>OUTLINE:</p><p>0:00 - Intro</p><p>1:00 - SchrÃ¶dinger</p><p>2:00 - End</p>"
            "<p>Code: https://github.com/google-research/f...</p>]]></description></item></channel></rss>"
        ).encode()
        feed_channel, episodes = read_feed(rss)
        assert (feed_channel.title, feed_channel.description) == ("Papers à la carte", "Explained by Carsten Wübben.")
        channel = channel_named(feed_channel.title, description=feed_channel.description)
        report = import_episodes(channel=channel, episodes=((e.episode, e.url) for e in episodes), source="rss")
        video = Video.objects.get()
        assert (video.title, video.summary) == ("FNet with Jörg", "A naïve mixer.")
        assert list(video.chapters.values_list("title", flat=True)) == ["Intro", "Schrödinger", "End"]
        assert video.code_links.get().cut_short
        modified = video.modified_at
        report = import_episodes(
            channel=channel, episodes=((e.episode, e.url) for e in read_feed(rss)[1]), source="rss"
        )
        assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
        assert Video.objects.get().modified_at == modified
