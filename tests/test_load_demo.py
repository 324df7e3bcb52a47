"""The demo loader fills an empty hub with content shaped like the seeds, and a second run changes nothing."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase, override_settings

from comments.models import Comment, Note
from hub.management.commands import load_demo
from papers.models import Paper
from videos.models import Channel, Correction, Video


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("papers", "videos", "comments", "auth")
        for model in apps.get_app_config(app).get_models()
    }


class LoadDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())

    def test_second_run_changes_no_table(self):
        before = table_counts()
        modified = {v.pk: v.modified_at for v in Video.objects.all()}
        call_command("load_demo", stdout=io.StringIO())
        assert table_counts() == before
        assert {v.pk: v.modified_at for v in Video.objects.all()} == modified

    def test_channel_and_every_video_of_the_feed(self):
        channel = Channel.objects.get(slug="yannic-kilcher")
        assert channel.owner.username == "channel_host"
        assert channel.videos.count() == 11
        expire = Video.objects.get(title__startswith="Expire-Span")
        assert expire.chapters.count() == 9
        assert expire.chapters.get(start=18 * 60 + 50).title == "Predicting expiration masks"
        assert list(expire.paper_links.values_list("paper__arxiv_id", "role")) == [("2105.06548", "explained")]
        assert expire.corrections.get().kind == Correction.Kind.ADDENDUM
        assert expire.duration == 42 * 60
        assert set(expire.tags.values_list("name", flat=True)) == {"expirespan", "nlp", "facebookai"}

    def test_video_with_two_papers_and_one_with_errata(self):
        ddpm = Video.objects.get(title__startswith="DDPM")
        assert list(ddpm.paper_links.values_list("paper__arxiv_id", "role")) == [
            ("2105.05233", "explained"),
            ("2102.09672", "previous"),
        ]
        mixer = Video.objects.get(title__startswith="MLP-Mixer")
        assert mixer.corrections.get().kind == Correction.Kind.ERRATUM

    def test_papers_carry_real_metadata(self):
        paper = Paper.objects.get(arxiv_id="2105.01601")
        assert paper.title == "MLP-Mixer: An all-MLP Architecture for Vision"
        assert [a.name for a in paper.ordered_authors][:3] == [
            "Ilya Tolstikhin",
            "Neil Houlsby",
            "Alexander Kolesnikov",
        ]
        assert paper.abstract.startswith("Convolutional Neural Networks (CNNs) are the go-to model")
        assert not Paper.objects.filter(is_stub=True).exists()

    def test_threaded_discussion_on_the_stability_video(self):
        video = Video.objects.get(title__startswith="Deep Differential System Stability")
        comments = Comment.objects.filter(video=video)
        assert comments.filter(parent=None).count() == 4
        assert comments.filter(author__username="channel_host", depth=1).count() == 2
        assert comments.filter(depth=2).count() == 1  # a reply to a reply
        assert comments.filter(body__contains="12:30").exists()
        assert video.comment_count == comments.count() == 8
        top = comments.get(author__username="mira", parent=None)
        assert top.score == 3

    def test_the_demo_shows_a_question_answered_and_comments_about_a_chapter(self):
        video = Video.objects.get(title__startswith="Deep Differential System Stability")
        question = Comment.objects.get(video=video, kind="question")
        assert (question.author.username, question.at) == ("tomas", 0)
        assert question.replies.get(accepted=True).author.username == "channel_host"
        assert Comment.objects.get(video=video, kind="critique").at == 750
        page = self.client.get(video.get_absolute_url()).content.decode()
        assert '<span class="answered">answered</span>' in page
        assert "✓ accepted answer" in page

    def test_reading_notes_private_and_public(self):
        notes = Note.objects.filter(owner__username="lena")
        assert notes.filter(visibility="public").count() == 3
        assert notes.filter(visibility="private").count() == 2
        outside = notes.get(source_url__startswith="http://karpathy.github.io/")
        assert outside.paper is None and outside.is_public
        assert notes.filter(paper__arxiv_id="2105.05233", visibility="private").exists()
        assert "<h2>" in outside.body_html


class HomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())

    def test_home_lists_newest_papers_and_videos(self):
        response = self.client.get("/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "MLP-Mixer: An all-MLP Architecture for Vision" in page
        assert "Expire-Span" in page
        assert Video.objects.get(title__startswith="Expire-Span").get_absolute_url() in page

    def test_simple_detail_pages_answer(self):
        video = Video.objects.get(title__startswith="DDPM")
        assert self.client.get(video.get_absolute_url()).status_code == 200
        assert self.client.get("/papers/2105.05233/").status_code == 200
        # Any spelling of the id leads to the one address.
        response = self.client.get("/papers/arXiv:2105.05233v2/")
        assert response.status_code == 301 and response["Location"] == "/papers/2105.05233/"
        assert self.client.get("/papers/2113.00001/").status_code == 404


class RunMessageTests(TestCase):
    """`make run PORT=8101` serves on 8101, so the login it prints must name 8101 (it used to say 8000)."""

    def test_the_admin_message_names_the_address_given(self):
        out = io.StringIO()
        with override_settings(DEBUG=True):
            call_command("load_demo", admin=True, site_url="http://127.0.0.1:8101/", stdout=out)
        assert "Demo admin: http://127.0.0.1:8101/admin/" in out.getvalue()
        assert ":8000" not in out.getvalue()

    def test_make_run_passes_its_host_and_port(self):
        root = Path(__file__).resolve().parent.parent
        if shutil.which("make") is None:
            self.skipTest("make is not installed")
        dry_run = subprocess.run(
            ["make", "-n", "run", "PORT=8101", "HOST=0.0.0.0"], cwd=root, capture_output=True, text=True, check=True
        ).stdout
        load = next(line for line in dry_run.splitlines() if "load_demo" in line)
        serve = next(line for line in dry_run.splitlines() if "runserver" in line)
        assert "--site-url http://0.0.0.0:8101/" in load
        assert serve.endswith("runserver 0.0.0.0:8101")


def double_decoded(text: str) -> str:
    """`text` as it arrives when its UTF-8 bytes were read as Windows-1252 on the way ("•" becomes "â€¢")."""
    return text.encode("utf-8").decode("cp1252")


class MojibakeDemoTests(TestCase):
    def test_demo_texts_that_arrived_double_decoded_load_as_the_demo_as_written(self):
        with tempfile.TemporaryDirectory() as tmp:
            demo = Path(tmp) / "demo"
            shutil.copytree(load_demo.DEMO_DIR, demo)
            for path in (demo / "videos").glob("*.txt"):
                path.write_text(double_decoded(path.read_text(encoding="utf-8")), encoding="utf-8")
            header = (demo / "videos" / "01-expire-span.txt").read_text(encoding="utf-8").splitlines()[0]
            assert header == "May 26, 2021 â€¢ 42min"
            with mock.patch.object(load_demo, "DEMO_DIR", demo):
                call_command("load_demo", stdout=io.StringIO())

        expire = Video.objects.get(title__startswith="Expire-Span")
        assert (str(expire.published_day), expire.duration, expire.chapters.count()) == ("2021-05-26", 42 * 60, 9)
        assert Video.objects.count() == 11
        # The demo as written then finds every video as the repaired texts left it.
        before = table_counts()
        modified = {v.pk: v.modified_at for v in Video.objects.all()}
        call_command("load_demo", stdout=io.StringIO())
        assert table_counts() == before
        assert {v.pk: v.modified_at for v in Video.objects.all()} == modified
