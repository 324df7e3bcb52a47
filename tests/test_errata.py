"""Errata with a life (issue 13, item 3): a member's erratum report on a video, confirmed by a curator, becomes the
video's erratum at the report's time, linked both ways; corrections have a status (reported, confirmed, fixed) and
an Atom feed of their own per video."""

from __future__ import annotations

from datetime import timedelta

import feedparser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.api_support import client_for
from tests.factories import ChannelFactory, CorrectionFactory, PaperFactory, VideoFactory, make_personas
from tests.pages import queries_of
from tests.test_constraints import refused
from videos.description import parse_description
from videos.importers import import_video
from videos.models import Correction, Video


class ErratumServiceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.video = VideoFactory(
            title="Expire-Span explained",
            slug="expire-span",
            url="https://www.youtube.com/watch?v=2PYLNHqxd5A",
            duration=2520,
            channel=ChannelFactory(name="Paper Explained", slug="paper-explained"),
        )
        cls.report = services.comment_post(
            author=cls.p.alice, target=cls.video, body="At 3:20 the *loss* has the wrong sign.", kind="erratum", at=200
        )

    def test_a_curator_confirms_a_report_as_the_videos_erratum_at_its_time_linked_both_ways(self):
        correction = services.erratum_confirm(report=self.report, curator=self.p.carol)
        correction.refresh_from_db()
        assert (correction.video, correction.kind, correction.status, correction.at) == (
            self.video,
            Correction.Kind.ERRATUM,
            Correction.Status.CONFIRMED,
            200,
        )
        assert correction.body == "At 3:20 the *loss* has the wrong sign."
        assert "<em>loss</em>" in correction.body_html
        assert correction.report == self.report
        assert Comment.objects.get(pk=self.report.pk).correction == correction
        assert correction.confirmed_by == self.p.carol
        assert correction.confirmed_at is not None

    def test_the_curator_may_edit_the_text(self):
        correction = services.erratum_confirm(report=self.report, curator=self.p.carol, body="  The sign of L flips. ")
        assert correction.body == "The sign of L flips."
        other = services.comment_post(author=self.p.bob, target=self.video, body="Wrong figure.", kind="erratum")
        with self.assertRaises(ValidationError):
            services.erratum_confirm(report=other, curator=self.p.carol, body="   ")
        assert not Correction.objects.filter(report=other).exists()

    def test_a_second_confirm_changes_nothing(self):
        first = services.erratum_confirm(report=self.report, curator=self.p.carol)
        again = services.erratum_confirm(report=self.report, curator=self.p.carol, body="Other words")
        assert again.pk == first.pk
        assert Correction.objects.filter(report=self.report).count() == 1
        assert Correction.objects.get(pk=first.pk).body == self.report.body

    def test_the_database_keeps_one_correction_per_report(self):
        services.erratum_confirm(report=self.report, curator=self.p.carol)
        with refused():
            Correction.objects.create(video=self.video, kind="erratum", body="twice", report=self.report)

    def test_only_curators_confirm(self):
        for member in (self.p.alice, self.p.bob):
            with self.assertRaises(PermissionDenied):
                services.erratum_confirm(report=self.report, curator=member)
        assert not Correction.objects.filter(report=self.report).exists()

    def test_only_a_visible_erratum_report_on_a_video(self):
        plain = services.comment_post(author=self.p.bob, target=self.video, body="Nice video.", at=30)
        paper = PaperFactory(arxiv_id="2105.06548")
        on_paper = services.comment_post(author=self.p.bob, target=paper, body="Eq. 3 is wrong.", kind="erratum")
        removed = services.comment_post(author=self.p.bob, target=self.video, body="Typo at 1:00.", kind="erratum")
        services.comment_remove(comment=removed, moderator=self.p.carol, reason="Spam")
        deleted = services.comment_post(author=self.p.bob, target=self.video, body="Wrong plot.", kind="erratum")
        services.comment_delete(comment=deleted, actor=self.p.bob)
        for comment in (plain, on_paper, removed, deleted):
            with self.assertRaises(ValidationError):
                services.erratum_confirm(report=comment, curator=self.p.carol)
        assert not Correction.objects.exists()

    def test_a_report_without_a_time_becomes_an_erratum_of_the_whole_video(self):
        untimed = services.comment_post(
            author=self.p.bob, target=self.video, body="The title misspells it.", kind="erratum"
        )
        assert services.erratum_confirm(report=untimed, curator=self.p.carol).at is None

    def test_a_confirmed_erratum_comes_after_the_channels_own(self):
        CorrectionFactory(video=self.video, position=0)
        CorrectionFactory(video=self.video, position=1)
        assert services.erratum_confirm(report=self.report, curator=self.p.carol).position == 2

    def test_a_curator_marks_a_correction_fixed_and_where(self):
        correction = services.erratum_confirm(report=self.report, curator=self.p.carol)
        services.correction_mark_fixed(correction=correction, curator=self.p.carol, fixed_by="  fixed in  v2 ")
        correction.refresh_from_db()
        assert (correction.status, correction.fixed_by, correction.fixed_marked_by) == (
            "fixed",
            "fixed in v2",
            self.p.carol,
        )
        first_time = correction.fixed_at
        assert first_time is not None
        services.correction_mark_fixed(
            correction=correction, curator=self.p.carol, fixed_by="https://youtu.be/abcdefghijk"
        )
        correction.refresh_from_db()
        assert (correction.fixed_by, correction.fixed_at) == ("https://youtu.be/abcdefghijk", first_time)
        with self.assertRaises(PermissionDenied):
            services.correction_mark_fixed(correction=correction, curator=self.p.alice, fixed_by="no")

    def test_the_database_refuses_an_unknown_status(self):
        correction = CorrectionFactory(video=self.video)
        assert correction.status == Correction.Status.CONFIRMED
        with refused():
            Correction.objects.filter(pk=correction.pk).update(status="maybe")


DESCRIPTION = """Expire-Span explained.

ERRATA: at 3:20 the loss should be negative.
ADDENDUM: code is now public.
"""


class ErrataAndImportsTests(TestCase):
    """Re-importing a video's description replaces the channel's corrections, never the members' confirmed ones, and
    keeps the status of the channel's own that it still holds."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.channel = ChannelFactory(name="Paper Explained", slug="paper-explained")

    def import_(self, text: str):
        return import_video(
            channel=self.channel,
            title="Expire-Span explained",
            description=parse_description(text),
            url="https://www.youtube.com/watch?v=2PYLNHqxd5A",
        )

    def test_the_channels_errata_import_as_confirmed_and_a_reimport_keeps_members_and_status(self):
        video = self.import_(DESCRIPTION).video
        erratum, addendum = video.corrections.order_by("position")
        assert (erratum.kind, erratum.status, erratum.at, erratum.report) == ("erratum", "confirmed", 200, None)
        assert addendum.status == "confirmed"
        report = services.comment_post(author=self.p.alice, target=video, body="Wrong plot.", kind="erratum", at=60)
        confirmed = services.erratum_confirm(report=report, curator=self.p.carol)
        services.correction_mark_fixed(correction=erratum, curator=self.p.carol, fixed_by="fixed in v2")
        modified = Video.objects.get(pk=video.pk).modified_at

        again = self.import_(DESCRIPTION)
        assert not again.changed  # neither the member's erratum nor a status is the description's
        assert Video.objects.get(pk=video.pk).modified_at == modified

        changed = self.import_(DESCRIPTION.replace("ADDENDUM: code is now public.", "ADDENDUM: slides are up."))
        assert changed.changed
        rows = list(video.corrections.order_by("position", "pk").values_list("pk", "status", "fixed_by", "body"))
        assert rows[0] == (erratum.pk, "fixed", "fixed in v2", erratum.body)
        assert rows[1][1:] == ("confirmed", "", "slides are up.")
        assert rows[2] == (confirmed.pk, "confirmed", "", "Wrong plot.")  # the member's, after the channel's
        assert Correction.objects.filter(pk=addendum.pk).count() == 0


class ErrataPageAndFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.video = VideoFactory(
            title="Expire-Span explained",
            slug="expire-span",
            url="https://www.youtube.com/watch?v=2PYLNHqxd5A",
            duration=2520,
            channel=ChannelFactory(name="Paper Explained", slug="paper-explained"),
        )
        cls.channels = CorrectionFactory(video=cls.video, kind="addendum", body="Code is public.", at=None)
        cls.report = services.comment_post(
            author=cls.p.alice, target=cls.video, body="At 3:20 the loss has the wrong sign.", kind="erratum", at=200
        )

    def page(self, user=None) -> str:
        if user is not None:
            self.client.force_login(user)
        response = self.client.get("/videos/expire-span/")
        assert response.status_code == 200
        return response.content.decode()

    def test_a_curator_sees_confirm_under_an_erratum_report_and_members_do_not(self):
        url = f"/comments/{self.report.pk}/confirm-erratum/"
        assert url not in self.page()
        assert url not in self.page(self.p.bob)
        assert f'href="{url}">Confirm as erratum</a>' in self.page(self.p.carol)
        plain = services.comment_post(author=self.p.bob, target=self.video, body="Nice.")
        assert f"/comments/{plain.pk}/confirm-erratum/" not in self.page(self.p.carol)

    def test_confirming_from_the_page_with_an_edited_text_links_report_and_correction(self):
        self.client.force_login(self.p.bob)
        url = f"/comments/{self.report.pk}/confirm-erratum/"
        assert self.client.get(url).status_code == 403
        assert self.client.post(url, {"body": "No"}).status_code == 403
        self.client.force_login(self.p.carol)
        form = self.client.get(url).content.decode()
        assert "At 3:20 the loss has the wrong sign.</textarea>" in form
        response = self.client.post(url, {"body": "The loss's sign flips at 3:20."})
        correction = Correction.objects.get(report=self.report)
        assert response.status_code == 302
        assert response["Location"] == f"/videos/expire-span/#correction-{correction.pk}"
        assert correction.body == "The loss's sign flips at 3:20."
        # A second visit goes to the correction; nothing is made twice.
        assert self.client.post(url, {"body": "Again"})["Location"].endswith(f"#correction-{correction.pk}")
        assert Correction.objects.filter(report=self.report).count() == 1

        page = self.page(self.p.bob)
        report_link = f'href="/videos/expire-span/?comment={self.report.pk}#c{self.report.pk}">alice</a>'
        assert f'id="correction-{correction.pk}"' in page
        assert f'Reported by <a class="correction-report" {report_link}' in page
        assert '<span class="badge correction-status status-confirmed">confirmed</span>' in page
        assert (
            f'<a class="badge erratum-confirmed" href="/videos/expire-span/#correction-{correction.pk}"' in page
        )  # the report in the thread says so, with a link
        assert f'href="/comments/{self.report.pk}/confirm-erratum/"' not in self.page(self.p.carol)

    def test_marking_fixed_from_the_page(self):
        url = f"/corrections/{self.channels.pk}/fixed/"
        assert url not in self.page(self.p.bob)
        assert self.client.post(url, {"fixed_by": "v2"}).status_code == 403
        assert f'action="{url}"' in self.page(self.p.carol)
        response = self.client.post(url, {"fixed_by": "https://youtu.be/abcdefghijk"})
        assert response.status_code == 302
        self.channels.refresh_from_db()
        assert (self.channels.status, self.channels.fixed_by) == ("fixed", "https://youtu.be/abcdefghijk")
        page = self.page()
        assert '<span class="badge correction-status status-fixed">fixed</span>' in page
        assert 'Fixed: <a href="https://youtu.be/abcdefghijk">https://youtu.be/abcdefghijk</a>' in page
        services.correction_mark_fixed(correction=self.channels, curator=self.p.carol, fixed_by="fixed in <v2>")
        assert "Fixed: fixed in &lt;v2&gt;." in self.page()

    def test_the_video_page_links_its_corrections_feed(self):
        assert (
            '<link rel="alternate" type="application/atom+xml" title="Corrections of “Expire-Span explained”" '
            'href="/videos/expire-span/corrections/feed/">'
        ) in self.page()

    def test_the_corrections_feed_is_valid_atom_newest_first_with_each_status(self):
        confirmed = services.erratum_confirm(report=self.report, curator=self.p.carol)
        Correction.objects.filter(pk=self.channels.pk).update(created_at=confirmed.created_at - timedelta(days=1))
        services.correction_mark_fixed(correction=self.channels, curator=self.p.carol, fixed_by="fixed in v2")
        response = self.client.get("/videos/expire-span/corrections/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title == "Corrections of “Expire-Span explained”"
        titles = [entry.title for entry in feed.entries]
        assert titles == ["Erratum at 3:20 (confirmed)", "Addendum (fixed)"]
        first, second = feed.entries
        assert first.link.endswith(f"/videos/expire-span/#correction-{confirmed.pk}")
        assert "Reported by alice." in first.summary and "Status: confirmed" in first.summary
        assert {tag.term for tag in second.tags} == {"addendum", "fixed"}
        assert "Fixed: fixed in v2" in second.summary
        assert self.client.get("/videos/no-such-video/corrections/feed/").status_code == 404


class ErrataQueryTests(TestCase):
    """The video page's queries stay the same whatever the number of corrections and of the reports behind them."""

    def test_report_links_cost_no_query_per_correction(self):
        p = make_personas()
        counts = []
        for n in (1, 4):
            video = VideoFactory(slug=f"video-{n}", url="https://youtu.be/abcdefghijk", duration=3000)
            for i in range(n):
                CorrectionFactory(video=video, at=i * 60, body=f"Channel's {i}")
                report = services.comment_post(
                    author=p.alice, target=video, body=f"Wrong at {i}:00", kind="erratum", at=i * 60
                )
                services.erratum_confirm(report=report, curator=p.carol)
            self.client.force_login(p.bob)
            count, response, sql = queries_of(self.client, video.get_absolute_url())
            assert response.content.decode().count("Reported by <a") == n
            assert response.content.decode().count("confirmed as erratum</a>") == n
            counts.append(count)
        assert counts[0] == counts[1], counts


class ErrataApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.video = VideoFactory(
            title="Expire-Span explained",
            slug="expire-span",
            duration=2520,
            channel=ChannelFactory(name="Paper Explained", slug="paper-explained"),
        )
        cls.report = services.comment_post(
            author=cls.p.alice, target=cls.video, body="At 3:20 the loss has the wrong sign.", kind="erratum", at=200
        )

    def test_a_curator_confirms_by_the_api_once(self):
        url = f"/api/v1/comments/{self.report.pk}/confirm-erratum/"
        assert client_for().post(url, {}, format="json").status_code == 401
        assert client_for(self.p.bob).post(url, {}, format="json").status_code == 403
        curator = client_for(self.p.carol)
        response = curator.post(url, {"body": "The sign flips."}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["video"], body["kind"], body["status"], body["at"], body["report"]) == (
            "expire-span",
            "erratum",
            "confirmed",
            200,
            self.report.pk,
        )
        assert body["body"] == "The sign flips." and body["confirmed_at"]
        again = curator.post(url, {}, format="json")
        assert again.status_code == 200 and again.json()["id"] == body["id"]
        comment = client_for().get(f"/api/v1/comments/{self.report.pk}/").json()
        assert comment["correction"] == body["id"]
        detail = client_for().get("/api/v1/videos/expire-span/").json()
        assert [(c["status"], c["report"]) for c in detail["corrections"]] == [("confirmed", self.report.pk)]

    def test_the_api_refuses_what_is_not_a_visible_erratum_report_on_a_video(self):
        plain = services.comment_post(author=self.p.bob, target=self.video, body="Nice.")
        on_paper = services.comment_post(
            author=self.p.bob, target=PaperFactory(arxiv_id="2105.06548"), body="Eq. 3", kind="erratum"
        )
        curator = client_for(self.p.carol)
        for comment in (plain, on_paper):
            response = curator.post(f"/api/v1/comments/{comment.pk}/confirm-erratum/", {}, format="json")
            assert response.status_code == 400
            assert "report" in response.json()["fields"]
        assert curator.post("/api/v1/comments/999999/confirm-erratum/", {}, format="json").status_code == 404
        assert not Correction.objects.exists()

    def test_a_curator_marks_fixed_by_the_api(self):
        correction = services.erratum_confirm(report=self.report, curator=self.p.carol)
        url = f"/api/v1/corrections/{correction.pk}/fixed/"
        assert client_for(self.p.bob).post(url, {"fixed_by": "v2"}, format="json").status_code == 403
        response = client_for(self.p.carol).post(url, {"fixed_by": "fixed in v2"}, format="json")
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["fixed_by"]) == ("fixed", "fixed in v2")
        assert response.json()["fixed_at"]
        assert client_for(self.p.carol).post("/api/v1/corrections/999999/fixed/", {}, format="json").status_code == 404
        listed = client_for().get("/api/v1/corrections/").json()["results"]
        assert [(c["id"], c["status"]) for c in listed] == [(correction.pk, "fixed")]


class ErrataAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = make_personas()
        cls.video = VideoFactory(slug="expire-span", duration=2520)
        cls.report = services.comment_post(
            author=cls.p.alice, target=cls.video, body="Wrong sign at 3:20.", kind="erratum", at=200
        )
        cls.plain = services.comment_post(author=cls.p.bob, target=cls.video, body="Nice.")

    def test_the_comment_admin_confirms_erratum_reports_and_passes_over_the_rest(self):
        self.client.force_login(self.p.carol)
        response = self.client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "confirm_errata", "_selected_action": [self.report.pk, self.plain.pk]},
            follow=True,
        )
        assert "Confirmed 1 erratum report(s)." in response.content.decode()
        correction = Correction.objects.get()
        assert (correction.report, correction.at, correction.confirmed_by) == (self.report, 200, self.p.carol)

    def test_the_correction_admin_marks_fixed_with_where(self):
        correction = services.erratum_confirm(report=self.report, curator=self.p.carol)
        self.client.force_login(self.p.carol)
        url = reverse("admin:videos_correction_changelist")
        assert "fixed" in self.client.get(url, {"status__exact": "confirmed"}).content.decode()
        self.client.post(url, {"action": "mark_fixed", "_selected_action": [correction.pk], "fixed_by": "v2"})
        correction.refresh_from_db()
        assert (correction.status, correction.fixed_by, correction.fixed_marked_by) == ("fixed", "v2", self.p.carol)
