"""Create or update videos from parsed descriptions, linking (or stubbing) the papers they explain."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from papers.importers import ensure_stub_papers
from papers.models import Paper
from shared.text import repair_mojibake
from videos.apps import recount_papers
from videos.description import (
    Episode,
    VideoDescription,
    cut_short_prefix,
    is_cut_short,
    parse_description,
    parse_feed_text,
)
from videos.models import (
    Channel,
    Chapter,
    CodeLink,
    Correction,
    Tag,
    Video,
    VideoPaper,
    publication_moment,
    youtube_id_from_url,
)


def repair_mojibake_lines(text: str) -> str:
    """`text` with mojibake repaired line by line: ftfy judges each line on its own, so a line written right (a feed
    page's "May 26, 2021 • 42min") does not keep it from repairing the next ("Carsten WÃ¼bben")."""
    return "\n".join(repair_mojibake(line) for line in text.split("\n"))


@dataclass(frozen=True)
class VideoImport:
    video: Video
    created: bool
    changed: bool
    stubs_created: int


def unique_video_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "video"
    slug, n = base, 2
    while Video.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _find_existing(channel: Channel, *, url: str, title: str) -> Video | None:
    youtube_id = youtube_id_from_url(url)
    if youtube_id:
        found = Video.objects.filter(youtube_id=youtube_id).first()
        if found:
            return found
    if url:
        found = Video.objects.filter(url=url).first()
        if found:
            return found
    return Video.objects.filter(channel=channel, title=title).first()


@transaction.atomic
def import_video(
    *,
    channel: Channel,
    title: str,
    description: VideoDescription,
    url: str = "",
    published: datetime.date | None = None,
    duration: int | None = None,
    audio_url: str = "",
) -> VideoImport:
    """Create the video, or bring an existing one (same YouTube id, URL, or channel and title) up to date.

    `published` is a feed's aware time (kept with its offset), or a day. Chapters, corrections, tags, code links
    and paper links are replaced by what the description says; a re-import that would change nothing writes nothing.
    A code link the description cut short ("...") keeps the full address a curator gave it in the admin. The
    title's mojibake ("WÃ¼bben") is repaired.
    """
    title = repair_mojibake(title)
    existing = _find_existing(channel, url=url, title=title)
    created = existing is None
    video = Video(channel=channel, slug=unique_video_slug(title)) if existing is None else existing
    code_urls = _code_urls(video, description)
    moment, offset = publication_moment(published) if published else (video.published, video.published_offset)
    wanted = _wanted(
        description,
        code_urls=code_urls,
        channel_id=channel.pk,
        title=title,
        url=url or video.url,
        published=(moment, offset),
        duration=duration or video.duration,
        audio_url=audio_url or video.audio_url,
    )
    if not created and _snapshot(video) == wanted:
        return VideoImport(video=video, created=False, changed=False, stubs_created=0)

    video.channel = channel
    video.title = title
    video.url = url or video.url
    video.youtube_id = youtube_id_from_url(video.url) or video.youtube_id
    video.published, video.published_offset = moment, offset
    video.duration = duration or video.duration
    video.audio_url = audio_url or video.audio_url
    video.summary = description.summary
    video.save()
    stubs_created = _replace_parts(video, description, code_urls)
    return VideoImport(video=video, created=created, changed=True, stubs_created=stubs_created)


def _code_urls(video: Video, description: VideoDescription) -> tuple[str, ...]:
    """The description's code links, each cut short one replaced by the full address stored for it, if any."""
    stored = [] if video.pk is None else list(video.code_links.values_list("url", flat=True))
    full = [url for url in stored if not is_cut_short(url)]
    urls = []
    for url in description.code_urls:
        if is_cut_short(url):
            url = next((known for known in full if known.startswith(cut_short_prefix(url))), url)
        urls.append(url)
    return tuple(dict.fromkeys(urls))


def _replace_parts(video: Video, description: VideoDescription, code_urls: tuple[str, ...]) -> int:
    """Chapters, corrections, code links, tags and paper links as the description says; the paper stubs made."""
    video.chapters.all().delete()
    Chapter.objects.bulk_create(Chapter(video=video, start=c.start, title=c.title) for c in description.chapters)
    _replace_corrections(video, description)
    video.code_links.all().delete()
    CodeLink.objects.bulk_create(
        CodeLink(video=video, url=code_url, position=i) for i, code_url in enumerate(code_urls)
    )
    video.tags.set([Tag.objects.get_or_create(name=name)[0] for name in description.tags])

    links = list({link.arxiv_id: link for link in reversed(description.papers)}.values())[::-1]
    stubs_before = Paper.objects.filter(is_stub=True).count()
    papers = ensure_stub_papers(link.arxiv_id for link in links)
    video.paper_links.all().delete()
    VideoPaper.objects.bulk_create(
        VideoPaper(video=video, paper=papers[link.arxiv_id], role=link.role, position=position)
        for position, link in enumerate(links)
    )
    recount_papers(*(papers[link.arxiv_id].pk for link in links))  # bulk_create sends no post_save
    return Paper.objects.filter(is_stub=True).count() - stubs_before


def _replace_corrections(video: Video, description: VideoDescription) -> None:
    """The channel's corrections as the description says, confirmed (the channel published them). A member's report
    a curator confirmed is not the description's and stays; one the description still holds keeps its status and
    where it was fixed, and only its position follows."""
    kept: dict[tuple, list[Correction]] = {}
    for stored in video.corrections.filter(report__isnull=True).order_by("position", "pk"):
        kept.setdefault((stored.kind, stored.body, stored.at), []).append(stored)
    for position, correction in enumerate(description.corrections):
        same = kept.get((correction.kind, correction.body, correction.at))
        if same:
            found = same.pop(0)
            if found.position != position:
                Correction.objects.filter(pk=found.pk).update(position=position)
            continue
        Correction.objects.create(
            video=video,
            kind=correction.kind,
            body=correction.body,
            at=correction.at,
            position=position,
            status=Correction.Status.CONFIRMED,
        )
    gone = [stored.pk for rows in kept.values() for stored in rows]
    Correction.objects.filter(pk__in=gone).delete()


def _wanted(description: VideoDescription, *, code_urls: tuple[str, ...], **fields) -> tuple:
    links = list({link.arxiv_id: link for link in reversed(description.papers)}.values())[::-1]
    return (
        fields["channel_id"],
        fields["title"],
        fields["url"],
        fields["published"],
        fields["duration"],
        fields["audio_url"],
        description.summary,
        tuple((c.start, c.title) for c in description.chapters),
        tuple((c.kind, c.body, c.at) for c in description.corrections),
        code_urls,
        tuple(sorted(set(description.tags))),
        tuple((link.arxiv_id, link.role) for link in links),
    )


def _snapshot(video: Video) -> tuple:
    """What an import writes, as stored, in the shape of `_wanted`."""
    return (
        video.channel_id,
        video.title,
        video.url,
        (video.published, video.published_offset),
        video.duration,
        video.audio_url,
        video.summary,
        tuple(video.chapters.order_by("start").values_list("start", "title")),
        tuple(
            video.corrections.filter(report__isnull=True).order_by("position", "pk").values_list("kind", "body", "at")
        ),
        tuple(video.code_links.order_by("position").values_list("url", flat=True)),
        tuple(sorted(video.tags.values_list("name", flat=True))),
        tuple(video.paper_links.order_by("position").values_list("paper__arxiv_id", "role")),
    )


@dataclass
class FeedReport:
    """Counts of a feed import, and what a curator should look at ("source: episode: problem")."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    stubs_created: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"episodes: created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}; paper stubs created {self.stubs_created}"
        )


def channel_named(name: str, *, description: str = "", url: str = "") -> Channel:
    """The channel of this name (matched by its slug), created with the feed's description and link if new."""
    slug = slugify(name)[:100].strip("-") or "channel"
    channel, created = Channel.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description, "url": url}
    )
    if not created and ((description and not channel.description) or (url and not channel.url)):
        channel.description = channel.description or description
        channel.url = channel.url or url
        channel.save(update_fields=["description", "url"])
    return channel


def import_episodes(
    *, channel: Channel, episodes: Iterable[tuple[Episode, str] | tuple[Episode, str, str]], source: str
) -> FeedReport:
    """Create or update one video per episode (episode, url[, audio url]); re-running changes nothing and never
    duplicates."""
    report = FeedReport()
    for episode, url, *audio in episodes:
        where = f"{source}:{episode.line}"
        if not episode.title:
            report.skipped += 1
            report.problems.append(f"{where}: the episode has no title; skipped")
            continue
        result = import_video(
            channel=channel,
            title=episode.title,
            description=episode.description,
            url=url,
            published=episode.published,
            duration=episode.duration,
            audio_url=audio[0] if audio else "",
        )
        if result.created:
            report.created += 1
        elif result.changed:
            report.updated += 1
        else:
            report.unchanged += 1
        report.stubs_created += result.stubs_created
        report.problems.extend(f"{where}: {episode.title}: {problem}" for problem in episode.description.problems)
    return report


@dataclass(frozen=True)
class PastedVideo:
    """What a description text says about its video: from a feed episode header when it starts with one."""

    title: str
    published: datetime.date | None
    duration: int | None
    description: VideoDescription


def read_description_text(text: str, *, duration: int | None = None) -> PastedVideo:
    """A pasted or saved description, with or without a feed episode header ("May 26, 2021 • 42min" + title).

    Raises ValueError when the text holds several episodes (that is a feed page, for import_feed). Mojibake
    ("WÃ¼bben", UTF-8 read as Latin-1 on the way) is repaired first. The video's length, from the header or else
    `duration` (seconds), ends the outline at a chapter past it.
    """
    text = repair_mojibake_lines(text)
    _, episodes = parse_feed_text(text)
    if len(episodes) > 1:
        raise ValueError(f"the text holds {len(episodes)} episodes; import it as a feed")
    if episodes:
        episode = episodes[0]
        return PastedVideo(episode.title, episode.published, episode.duration, episode.description)
    return PastedVideo("", None, None, parse_description(text, duration=duration))
