"""factory_boy factories for every model, and the named personas of the suite."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from comments.models import Comment, Note, Vote
from papers.models import Author, Authorship, Category, Paper
from videos.models import Channel, Chapter, CodeLink, Correction, Tag, Video, VideoPaper

User = get_user_model()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = "cs.LG"
    name = "Machine Learning"


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["key"]

    name = factory.Sequence(lambda n: f"Ada Example{n}")
    key = factory.LazyAttribute(lambda a: a.name.lower())


class PaperFactory(DjangoModelFactory):
    class Meta:
        model = Paper
        skip_postgeneration_save = True

    arxiv_id = factory.Sequence(lambda n: f"2101.{n + 10000:05d}")
    version = 1
    title = factory.Sequence(lambda n: f"A study of attention number {n}")
    abstract = "We study attention in sequence models."
    published = datetime.date(2021, 1, 15)
    updated = factory.LazyAttribute(lambda p: p.published)
    primary_category = factory.SubFactory(CategoryFactory)

    @factory.post_generation
    def authors(self, create: bool, extracted, **kwargs) -> None:
        """PaperFactory(authors=["Ada Lovelace", "Alan Turing"]) adds them in that order."""
        if not create or not extracted:
            return
        for position, name in enumerate(extracted):
            author = name if isinstance(name, Author) else AuthorFactory(name=name, key=name.lower())
            Authorship.objects.create(paper=self, author=author, position=position)
        self.refresh_author_names()


class AuthorshipFactory(DjangoModelFactory):
    class Meta:
        model = Authorship

    paper = factory.SubFactory(PaperFactory)
    author = factory.SubFactory(AuthorFactory)
    position = 0


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["slug"]

    name = "Paper Explained"
    slug = "paper-explained"


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = "transformers"


class VideoFactory(DjangoModelFactory):
    class Meta:
        model = Video

    channel = factory.SubFactory(ChannelFactory)
    title = factory.Sequence(lambda n: f"Explaining paper {n}")
    slug = factory.Sequence(lambda n: f"explaining-paper-{n}")
    published = datetime.datetime(2021, 5, 1, 16, 0, tzinfo=datetime.UTC)
    duration = 1800


class VideoPaperFactory(DjangoModelFactory):
    class Meta:
        model = VideoPaper

    video = factory.SubFactory(VideoFactory)
    paper = factory.SubFactory(PaperFactory)
    role = VideoPaper.Role.EXPLAINED


class ChapterFactory(DjangoModelFactory):
    class Meta:
        model = Chapter

    video = factory.SubFactory(VideoFactory)
    start = factory.Sequence(lambda n: n * 60)
    title = factory.Sequence(lambda n: f"Part {n}")


class CorrectionFactory(DjangoModelFactory):
    class Meta:
        model = Correction

    video = factory.SubFactory(VideoFactory)
    kind = Correction.Kind.ERRATUM
    body = "The figure at this point shows the validation loss, not the training loss."


class CodeLinkFactory(DjangoModelFactory):
    class Meta:
        model = CodeLink

    video = factory.SubFactory(VideoFactory)
    url = factory.Sequence(lambda n: f"https://github.com/example/repo{n}")


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    paper = factory.SubFactory(PaperFactory)
    video = None
    body = "Interesting result."


class VoteFactory(DjangoModelFactory):
    class Meta:
        model = Vote

    user = factory.SubFactory(UserFactory)
    comment = factory.SubFactory(CommentFactory)
    value = 1


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Reading note {n}")
    body = "What I took away."


def make_personas() -> SimpleNamespace:
    """alice and bob are members; carol is a curator (staff with every permission)."""
    return SimpleNamespace(
        alice=UserFactory(username="alice"),
        bob=UserFactory(username="bob"),
        carol=UserFactory(username="carol", is_staff=True, is_superuser=True),
    )
