"""The import commands and the admin import pages: arguments, summaries, exit status, file:line errors."""

from __future__ import annotations

import gzip
import io
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from papers.fetch import query_url
from papers.models import Paper
from tests.factories import ChannelFactory, make_personas
from tests.test_video_description import SEED_PATH
from videos.models import Channel, Video

ROOT = Path(__file__).resolve().parent
ARXIV = ROOT / "fixtures" / "arxiv"
FEEDS = ROOT / "fixtures" / "feeds"
DEMO_VIDEO = ROOT.parent / "hub" / "demo" / "videos" / "01-expire-span.txt"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[str, str, CommandError]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    raise AssertionError(f"{args} did not fail")


class ImportArxivCommandTests(TestCase):
    def test_summary_line_and_success(self):
        out, err = run("import_arxiv", "--quiet", str(ARXIV / "snapshot_sample_100.jsonl"))
        assert out.strip() == "read 100, created 100, updated 0, unchanged 0, skipped as bad 0"
        assert err == ""
        out, _ = run("import_arxiv", str(ARXIV / "snapshot_sample_100.jsonl"))
        assert out.strip() == "read 100, created 0, updated 0, unchanged 100, skipped as bad 0"

    def test_bad_records_are_listed_as_file_line_and_the_exit_status_is_nonzero(self):
        path = ARXIV / "snapshot_bad_lines.jsonl"
        out, err, exc = run_failing("import_arxiv", "--quiet", str(path))
        assert out.strip() == "read 10, created 4, updated 0, unchanged 0, skipped as bad 6"
        assert [line.split(": ", 1)[0] for line in err.splitlines()] == [f"{path}:{n}" for n in (2, 4, 5, 6, 8, 10)]
        assert exc.returncode == 1
        assert Paper.objects.count() == 4

    def test_every_format_and_gzip_in_one_run(self):
        with tempfile.TemporaryDirectory() as folder:
            packed = Path(folder) / "sample.jsonl.gz"
            packed.write_bytes(gzip.compress((ARXIV / "snapshot_sample_100.jsonl").read_bytes()))
            out, _ = run(
                "import_arxiv",
                str(packed),
                str(ARXIV / "api_id_astro-ph_0601001.xml"),
                str(ARXIV / "oai_listrecords_hep-ex.xml"),
            )
        assert out.startswith("read ")
        assert Paper.objects.filter(arxiv_id__in=["0704.0001", "astro-ph/0601001"]).count() == 2
        assert Paper.objects.count() > 101

    def test_category_and_date_filters(self):
        out, _ = run(
            "import_arxiv",
            "--category",
            "hep-",
            "--category",
            "math.",
            "--since",
            "2007-06-01",
            str(ARXIV / "snapshot_sample_100.jsonl"),
        )
        kept = Paper.objects.count()
        assert out.strip().endswith(f"filtered out {100 - kept}")
        assert 0 < kept < 100
        for paper in Paper.objects.prefetch_related("categories"):
            assert paper.updated.isoformat() >= "2007-06-01"
            assert any(c.code.startswith(("hep-", "math.")) for c in paper.categories.all())

    def test_unreadable_file_is_reported_and_the_others_imported(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
            handle.write("id,title\n0704.0001,x\n")
        self.addCleanup(Path(handle.name).unlink)
        out, err, _ = run_failing("import_arxiv", handle.name, str(ARXIV / "same_paper_0704.0001.jsonl"))
        assert err.startswith(f"{handle.name}: not arXiv metadata")
        assert out.strip() == "read 1, created 1, updated 0, unchanged 0, skipped as bad 0"

    def test_bad_arguments(self):
        for args, message in (
            (["import_arxiv", "/nonexistent.jsonl"], "no such file"),
            (["import_arxiv", "--since", "May 2021", str(SEED_PATH)], "is not a date"),
            (["import_arxiv", "--batch-size", "0", str(SEED_PATH)], "at least 1"),
        ):
            with self.assertRaisesMessage(CommandError, message):
                call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


class FetchArxivCommandTests(TestCase):
    def test_fetches_through_the_export_api_and_fills_stubs(self):
        Paper.objects.create(
            arxiv_id="1111.2011", title="arXiv:1111.2011", published="2011-11-01", updated="2011-11-01", is_stub=True
        )
        responses = {query_url(["1111.2011"]): (ARXIV / "api_id_list_1111.2011v2.xml").read_bytes()}
        with mock.patch("papers.fetch.http_get", side_effect=responses.__getitem__) as get:
            out, _ = run("fetch_arxiv", "--stubs")
        get.assert_called_once_with(query_url(["1111.2011"]))
        assert out.strip() == "read 1, created 0, updated 1, unchanged 0, skipped as bad 0"
        paper = Paper.objects.get()
        assert not paper.is_stub
        assert paper.version == 2

    def test_error_feed_and_bad_reference_are_reported_and_nothing_stored(self):
        with mock.patch("papers.fetch.http_get", return_value=(ARXIV / "api_error_bad_id_abc.xml").read_bytes()):
            _, err, exc = run_failing("fetch_arxiv", "0704.0001", "not-an-id")
        lines = err.splitlines()
        assert lines[0].startswith("not-an-id: not an arXiv id")
        assert lines[1] == f"{query_url(['0704.0001'])}:9: arXiv API error: incorrect id format for abc"
        assert exc.returncode == 1
        assert not Paper.objects.exists()

    def test_needs_a_reference(self):
        with self.assertRaisesMessage(CommandError, "give at least one arXiv id"):
            call_command("fetch_arxiv", stdout=io.StringIO(), stderr=io.StringIO())


class VideoCommandTests(TestCase):
    def test_import_video_creates_then_updates_one_video(self):
        url = "https://www.youtube.com/watch?v=2PYLNHqxd5A"
        out, _ = run("import_video", "--channel", "Yannic Kilcher", "--url", url, str(DEMO_VIDEO))
        assert out.startswith("Expire-Span")
        assert "created; 9 chapters, 1 corrections, 1 papers (1 new stubs)" in out
        video = Video.objects.get()
        assert (video.youtube_id, video.channel.name, video.duration) == ("2PYLNHqxd5A", "Yannic Kilcher", 42 * 60)
        assert Paper.objects.get().is_stub
        out, _ = run("import_video", "--channel", "Yannic Kilcher", "--url", url, str(DEMO_VIDEO))
        assert "unchanged" in out
        out, _ = run(
            "import_video", "--channel", "Yannic Kilcher", "--url", url, "--duration", "42:30", str(DEMO_VIDEO)
        )
        assert "updated" in out
        assert Video.objects.get().duration == 42 * 60 + 30
        assert Video.objects.count() == 1

    def test_import_video_needs_a_title_without_an_episode_header(self):
        with tempfile.TemporaryDirectory() as folder:
            bare = Path(folder) / "description.txt"
            bare.write_text("\n".join(DEMO_VIDEO.read_text(encoding="utf-8").splitlines()[2:]), encoding="utf-8")
            with self.assertRaisesMessage(CommandError, "give --title"):
                call_command("import_video", "--channel", "C", str(bare), stdout=io.StringIO())
            out, _ = run("import_video", "--channel", "C", "--title", "Expire-Span", str(bare))
        assert Video.objects.get().title == "Expire-Span"
        assert Video.objects.get().chapters.count() == 9

    def test_import_feed_from_a_file_twice(self):
        out, _ = run("import_feed", str(SEED_PATH))
        assert out.strip() == (
            "Yannic Kilcher Videos (Audio Only): episodes: created 10, updated 0, unchanged 0, skipped 0; "
            "paper stubs created 8"
        )
        out, _ = run("import_feed", "--channel", "Yannic Kilcher Videos (Audio Only)", str(SEED_PATH))
        assert "created 0, updated 0, unchanged 10" in out
        assert (Channel.objects.count(), Video.objects.count()) == (1, 10)

    def test_import_feed_rejects_what_is_not_a_feed(self):
        with tempfile.TemporaryDirectory() as folder:
            junk = Path(folder) / "junk.txt"
            junk.write_text("just some words\n", encoding="utf-8")
            with self.assertRaisesMessage(CommandError, "no episodes found"):
                call_command("import_feed", str(junk), stdout=io.StringIO())
        assert not Video.objects.exists()


class AdminImportPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.people = make_personas()
        cls.channel = ChannelFactory(name="Yannic Kilcher", slug="yannic-kilcher")

    def test_changelists_link_to_the_import_pages(self):
        self.client.force_login(self.people.carol)
        for changelist, page in (
            ("admin:papers_paper_changelist", "admin:papers_paper_import"),
            ("admin:videos_video_changelist", "admin:videos_video_import"),
        ):
            response = self.client.get(reverse(changelist))
            assert response.status_code == 200
            self.assertContains(response, f'href="{reverse(page)}"')
            assert self.client.get(reverse(page)).status_code == 200

    def test_members_and_visitors_are_turned_away(self):
        for page in ("admin:papers_paper_import", "admin:videos_video_import"):
            response = self.client.get(reverse(page))
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
            self.client.force_login(self.people.alice)
            assert self.client.post(reverse(page), {"references": "2105.06548"}).status_code == 302
            self.client.logout()
        assert not Paper.objects.exists()

    def test_pasted_ids_are_fetched_and_imported(self):
        self.client.force_login(self.people.carol)
        responses = {query_url(["1111.2011"]): (ARXIV / "api_id_list_1111.2011v2.xml").read_bytes()}
        with mock.patch("papers.fetch.http_get", side_effect=responses.__getitem__):
            response = self.client.post(
                reverse("admin:papers_paper_import"), {"references": "https://arxiv.org/abs/1111.2011v2"}
            )
        self.assertRedirects(response, reverse("admin:papers_paper_changelist"))
        assert Paper.objects.get().arxiv_id == "1111.2011"

    def test_bad_ids_are_shown_and_the_input_kept(self):
        self.client.force_login(self.people.carol)
        with mock.patch("papers.fetch.http_get") as get:
            response = self.client.post(reverse("admin:papers_paper_import"), {"references": "2105.06548, abc"})
        get.assert_not_called()
        assert response.status_code == 200
        self.assertContains(response, "These are not arXiv ids or links")
        self.assertContains(response, "abc: ")
        self.assertContains(response, "2105.06548, abc</textarea>")

    def test_arxiv_error_feed_is_shown_and_nothing_stored(self):
        self.client.force_login(self.people.carol)
        with mock.patch("papers.fetch.http_get", return_value=(ARXIV / "api_error_bad_id_abc.xml").read_bytes()):
            response = self.client.post(reverse("admin:papers_paper_import"), {"references": "0704.0001"})
        assert response.status_code == 200
        self.assertContains(response, "arXiv API error: incorrect id format for abc")
        self.assertContains(response, "0704.0001</textarea>")
        assert not Paper.objects.exists()

    def test_pasted_description_imports_a_video(self):
        self.client.force_login(self.people.carol)
        response = self.client.post(
            reverse("admin:videos_video_import"),
            {
                "channel": self.channel.pk,
                "url": "https://www.youtube.com/watch?v=2PYLNHqxd5A",
                "description": DEMO_VIDEO.read_text(encoding="utf-8"),
            },
        )
        video = Video.objects.get()
        self.assertRedirects(response, reverse("admin:videos_video_change", args=[video.pk]))
        assert (video.channel, video.youtube_id, video.chapters.count()) == (self.channel, "2PYLNHqxd5A", 9)
        assert list(video.paper_links.values_list("paper__arxiv_id", flat=True)) == ["2105.06548"]

    def test_a_description_without_title_or_channel_is_sent_back_with_errors(self):
        self.client.force_login(self.people.carol)
        text = "OUTLINE:\n0:00 - Intro\n1:00 - More\n"
        response = self.client.post(reverse("admin:videos_video_import"), {"description": text})
        assert response.status_code == 200
        self.assertContains(response, "Choose a channel or name a new one.")
        self.assertContains(response, "Give the title")
        self.assertContains(response, "0:00 - Intro")
        assert not Video.objects.exists()
