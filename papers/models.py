"""Papers, their authors in order, and arXiv categories."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from papers import arxiv, licenses
from shared.fields import URLField


def validate_arxiv_id(value: str) -> None:
    """Accept only a canonical arXiv id without version (what the database stores)."""
    try:
        parsed = arxiv.parse_arxiv_id(value)
    except arxiv.InvalidArxivId as exc:
        raise ValidationError(str(exc), code="invalid_arxiv_id") from exc
    if parsed.id != value or parsed.version is not None:
        raise ValidationError(
            f"Store the canonical id without version: {parsed.id!r}, not {value!r}.", code="not_canonical"
        )


class Category(models.Model):
    """An arXiv subject class such as cs.LG; the code is the key."""

    code = models.CharField(max_length=32, primary_key=True)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.code

    @property
    def archive(self) -> str:
        return self.code.split(".", 1)[0]


class Author(models.Model):
    """A person as arXiv spells them; `key` folds accents, case and punctuation so imports agree."""

    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.key:
            self.key = arxiv.author_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("authors:detail", args=[self.pk])


class PaperQuerySet(models.QuerySet):
    def named(self, text: str) -> PaperQuerySet:
        """The paper that `text` names: an arXiv id or link in any form papers.arxiv accepts (with a version, an
        arXiv: prefix, an abs or pdf link). Raises arxiv.InvalidArxivId, whose message says what is wrong."""
        return self.filter(arxiv_id=arxiv.canonical_arxiv_id(text))

    def newest(self) -> PaperQuerySet:
        return self.order_by("-published", "-arxiv_id")

    def with_authors(self) -> PaperQuerySet:
        # Authors in their order, one extra query for the whole page, not one per paper.
        return self.prefetch_related(
            models.Prefetch(
                "authorships",
                queryset=Authorship.objects.select_related("author").order_by("position"),
            )
        )

    def for_listing(self) -> PaperQuerySet:
        return self.select_related("primary_category").with_authors()

    def recount_discussion(self) -> int:
        """Set each paper's discussion_count from its own comment_count and its explainer videos' comment_count.

        Both counts are kept by comments.services as comments come and go; this sum is redone when the videos
        linked to a paper change (videos.apps connects it to VideoPaper's saves and deletes).
        """
        explained = (
            Paper.videos.through.objects.filter(paper_id=models.OuterRef("pk"))
            .order_by()
            .values("paper_id")
            .annotate(total=models.Sum("video__comment_count"))
            .values("total")
        )
        return self.update(
            discussion_count=models.F("comment_count") + Coalesce(models.Subquery(explained), models.Value(0))
        )


class Paper(models.Model):
    """One arXiv paper, keyed by its canonical id; `version` is the latest we hold."""

    arxiv_id = models.CharField(max_length=40, unique=True, validators=[validate_arxiv_id])
    version = models.PositiveSmallIntegerField(default=1)
    title = models.TextField()
    abstract = models.TextField(blank=True)
    author_names = models.TextField(
        blank=True,
        editable=False,
        help_text="The authors in order, comma-separated; kept in step with the authorships for search.",
    )
    published = models.DateField(help_text="Date of the first version on arXiv.")
    updated = models.DateField(help_text="Date of the latest version on arXiv.")
    primary_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="primary_papers", null=True, blank=True
    )
    categories = models.ManyToManyField(Category, related_name="papers", blank=True)
    doi = models.CharField(max_length=200, blank=True)
    journal_ref = models.TextField(blank=True)
    arxiv_comments = models.TextField(blank=True, help_text="The authors' arXiv comments (pages, figures, venue).")
    license = models.CharField(
        max_length=arxiv.LICENSE_MAX_LENGTH,
        blank=True,
        help_text="The license's URL as arXiv gives it; empty when arXiv names none.",
    )
    code_url = URLField(max_length=500, blank=True)
    is_stub = models.BooleanField(
        default=False, help_text="Created from a link (e.g. in a video description); metadata still to fetch."
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible comments on the paper's own page."
    )
    discussion_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Visible comments on the paper and on the videos that explain it."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-arxiv_id"]
        indexes = [
            models.Index(fields=["-published", "-arxiv_id"], name="paper_newest_idx"),
            models.Index(fields=["-discussion_count", "-published", "-arxiv_id"], name="paper_discussed_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="paper_version_positive"),
            models.CheckConstraint(
                condition=Q(updated__gte=models.F("published")), name="paper_updated_after_published"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("papers:detail", args=[self.arxiv_id])

    @property
    def abs_url(self) -> str:
        return arxiv.abs_url(self.arxiv_id)

    @property
    def pdf_url(self) -> str:
        return arxiv.pdf_url(self.arxiv_id)

    @property
    def license_name(self) -> str:
        return licenses.license_name(self.license)

    @property
    def abstract_paragraphs(self) -> list[str]:
        """The abstract's paragraphs (imports separate them by a blank line)."""
        return [paragraph for paragraph in ABSTRACT_PARAGRAPH_BREAK.split(self.abstract.strip()) if paragraph]

    def refresh_author_names(self) -> None:
        """Copy the ordered authorships into `author_names` (call after changing authorships)."""
        names = self.authorships.order_by("position").values_list("author__name", flat=True)
        self.author_names = ", ".join(names)
        Paper.objects.filter(pk=self.pk).update(author_names=self.author_names)

    @property
    def ordered_authors(self) -> list[Author]:
        """Authors in paper order; uses the prefetch of `with_authors()` when present."""
        return [a.author for a in sorted(self.authorships.all(), key=lambda a: a.position)]


# A blank line, perhaps with spaces: how imports (papers.arxiv.normalize_abstract) and curators separate paragraphs.
ABSTRACT_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t\r]*\n\s*")


class PaperVersion(models.Model):
    """Version `number` of a paper, as arXiv dated it: the history that imports only ever add to."""

    class Source(models.TextChoices):
        SNAPSHOT = arxiv.SNAPSHOT, "bulk snapshot"
        ARXIV_RAW = arxiv.ARXIV_RAW, "OAI-PMH arXivRaw"
        ATOM = arxiv.ATOM, "export API (Atom)"

    # No index of its own: the unique (paper, number) constraint's index serves every lookup by paper.
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions", db_index=False)
    number = models.PositiveSmallIntegerField()
    submitted = models.DateTimeField(help_text="When this version was submitted to arXiv.")
    size = models.CharField(
        max_length=arxiv.SIZE_MAX_LENGTH, blank=True, help_text="As arXiv gives it (e.g. 424kb); empty if not given."
    )
    source = models.CharField(max_length=10, choices=Source.choices, help_text="The format that gave this version.")

    class Meta:
        ordering = ["paper", "number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paper_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="paper_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.paper_id} v{self.number}"

    @property
    def abs_url(self) -> str:
        return arxiv.abs_url(self.paper.arxiv_id, self.number)


class Authorship(models.Model):
    """Author number `position` (0-based) of a paper."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["paper", "position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "position"], name="authorship_one_author_per_position"),
        ]
        indexes = [models.Index(fields=["author", "paper"], name="authorship_author_idx")]

    def __str__(self) -> str:
        return f"{self.paper_id} #{self.position}: {self.author_id}"
