"""Fill the hub with demo content: papers, a channel's videos, a discussion and reading notes.

Idempotent: a second run finds everything in place and changes nothing. The papers come through the
arXiv snapshot parser and the videos are read as `import_video FILE` reads a saved description (mojibake
repaired, then the description parser), so the demo exercises the same code as real imports.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from comments import services
from comments.models import Comment, Note, Vote
from papers.arxiv import parse_snapshot_lines
from papers.importers import upsert_papers
from papers.models import Paper
from videos.description import parse_timestamp
from videos.importers import import_video, read_description_text
from videos.models import Channel, Video

DEMO_DIR = Path(settings.BASE_DIR) / "hub" / "demo"
DEMO_ADMIN = ("admin", "paperhub-demo")
DEMO_MEMBER_PASSWORD = "paperhub-demo"
# The address runserver takes by default; `make run` passes the HOST and PORT it serves on instead.
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demo papers, videos, discussion and reading notes (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--admin",
            action="store_true",
            help=f"Also create the demo admin {DEMO_ADMIN[0]!r} (only with DEBUG on) and print its login.",
        )
        parser.add_argument(
            "--site-url",
            default=DEFAULT_SITE_URL,
            help="Where the hub will be served, for the admin's address in the message (`make run` passes its "
            f"HOST and PORT); default {DEFAULT_SITE_URL}.",
        )

    def handle(self, *args, admin: bool = False, site_url: str = DEFAULT_SITE_URL, **options) -> None:
        if admin and not settings.DEBUG:
            raise CommandError("The demo admin has a published password: create it only with DEBUG on.")
        data = json.loads((DEMO_DIR / "community.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            papers = self._load_papers()
            members = self._load_members(data["members"])
            channel, videos = self._load_videos(data["channel"], members)
            comments = self._load_discussions(data["discussions"], members, videos)
            notes = self._load_notes(data["notes"], members, videos)
        self.stdout.write(
            f"Demo content: {papers} papers, {len(videos)} videos on {channel.name!r}, "
            f"{comments} comments, {notes} notes, members {', '.join(sorted(members))} "
            f"(password {DEMO_MEMBER_PASSWORD!r})."
        )
        if admin:
            self._ensure_admin(site_url)

    def _load_papers(self) -> int:
        path = DEMO_DIR / "papers.jsonl"
        with path.open(encoding="utf-8") as lines:
            report = upsert_papers(parse_snapshot_lines(lines), source=str(path))
        if report.errors:
            raise CommandError("Demo papers did not parse:\n" + "\n".join(report.errors))
        return Paper.objects.count()

    def _load_members(self, specs: list[dict]) -> dict:
        user_model = get_user_model()
        members = {}
        for member in specs:
            user, created = user_model.objects.get_or_create(
                username=member["username"],
                defaults={
                    "first_name": member["first_name"],
                    "last_name": member["last_name"],
                    "email": f"{member['username']}@demo.paperhub.invalid",
                },
            )
            if created:
                user.set_password(DEMO_MEMBER_PASSWORD)
                user.save(update_fields=["password"])
            members[user.username] = user
        return members

    def _load_videos(self, spec: dict, members: dict) -> tuple[Channel, dict[str, Video]]:
        channel, _ = Channel.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "url": spec["url"],
                "description": spec["description"],
                "owner": members[spec["owner"]],
            },
        )
        videos = {}
        for path in sorted((DEMO_DIR / "videos").glob("*.txt")):
            # Read as `import_video FILE` reads a saved description, mojibake ("WÃ¼bben") repaired on the way in.
            try:
                episode = read_description_text(path.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise CommandError(f"{path}: {exc}") from exc
            if not episode.title:
                raise CommandError(f"{path}: expected one episode (a date and length line, then its title)")
            if episode.description.problems:
                raise CommandError(f"{path}: " + "; ".join(episode.description.problems))
            result = import_video(
                channel=channel,
                title=episode.title,
                description=episode.description,
                published=episode.published,
                duration=episode.duration,
            )
            videos[path.name] = result.video
        return channel, videos

    def _load_discussions(self, discussions: list[dict], members: dict, videos: dict[str, Video]) -> int:
        now = timezone.now()
        for discussion in discussions:
            video = videos[discussion["video"]]
            for spec in discussion["comments"]:
                self._post(spec, members, video, parent=None, now=now)
        return Comment.objects.count()

    def _post(self, spec: dict, members: dict, video: Video, *, parent: Comment | None, now) -> None:
        author = members[spec["author"]]
        comment = Comment.objects.filter(author=author, video=video, parent=parent, body=spec["body"]).first()
        if comment is None:
            at = parse_timestamp(spec["at"]) if "at" in spec and parent is None else None
            kind = spec.get("kind", "plain")
            comment = services.comment_post(
                author=author, target=video, body=spec["body"], parent=parent, kind=kind, at=at
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=now - datetime.timedelta(days=spec["days_ago"]))
        if spec.get("accepted") and parent is not None and parent.author is not None:
            services.answer_accept(answer=comment, actor=parent.author)  # the asker's choice, as on the page
        for voter in spec.get("votes", []):
            if not Vote.objects.filter(user=members[voter], comment=comment).exists():
                services.vote_cast(user=members[voter], comment=comment, value=1)
        for reply in spec.get("replies", []):
            self._post(reply, members, video, parent=comment, now=now)

    def _load_notes(self, specs: list[dict], members: dict, videos: dict[str, Video]) -> int:
        now = timezone.now()
        for spec in specs:
            owner = members[spec["owner"]]
            if Note.objects.filter(owner=owner, title=spec["title"]).exists():
                continue
            when = now - datetime.timedelta(days=spec["days_ago"])
            Note.objects.create(
                owner=owner,
                title=spec["title"],
                body=spec["body"],
                paper=Paper.objects.get(arxiv_id=spec["paper"]) if "paper" in spec else None,
                video=videos[spec["video"]] if "video" in spec else None,
                source_url=spec.get("source_url", ""),
                source_title=spec.get("source_title", ""),
                visibility=Note.Visibility.PUBLIC if spec["public"] else Note.Visibility.PRIVATE,
                created_at=when,
                published_at=when if spec["public"] else None,
            )
        return Note.objects.count()

    def _ensure_admin(self, site_url: str) -> None:
        username, password = DEMO_ADMIN
        user_model = get_user_model()
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username, f"{username}@demo.paperhub.invalid", password)
        self.stdout.write(
            self.style.SUCCESS(f"Demo admin: {site_url.rstrip('/')}/admin/  user {username!r}  password {password!r}")
        )
