"""Papers and authors in the API: the shapes clients read, built fast, and the serializers curators write with.

The hot reads (the papers list and a paper's detail) are built as plain dicts from `values()` rows: three queries
a page however many rows, and no serializer field machinery per row, which measured as the main cost of a
ModelSerializer here. The read serializers below describe exactly those dicts for the schema; the schemathesis run
in the suite checks that the two agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from rest_framework import serializers

from papers import arxiv
from papers.licenses import license_name
from papers.models import Author, Authorship, Category, Paper, PaperVersion
from shared.api import full_clean_with
from shared.urls import list_url, url_for

LIST_COLUMNS = (
    "id",
    "arxiv_id",
    "version",
    "title",
    "abstract",
    "published",
    "updated",
    "primary_category_id",
    "comment_count",
    "discussion_count",
)
DETAIL_COLUMNS = (
    *LIST_COLUMNS,
    "doi",
    "journal_ref",
    "arxiv_comments",
    "code_url",
    "license",
    "is_stub",
    "modified_at",
)


# --- Read shapes (for the schema) -------------------------------------------------------------------------------------


class AuthorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class HighlightSerializer(serializers.Serializer):
    title_html = serializers.CharField(help_text="The title, HTML-escaped, with matched words in <mark>.")
    abstract_html = serializers.CharField(help_text="An excerpt of the abstract, HTML-escaped, words in <mark>.")


class PaperListItemSerializer(serializers.Serializer):
    arxiv_id = serializers.CharField(help_text="Canonical, without version: 2105.06548 or hep-th/9901001.")
    version = serializers.IntegerField(help_text="The latest version the hub holds.")
    title = serializers.CharField()
    abstract = serializers.CharField(allow_blank=True)
    authors = AuthorRefSerializer(many=True, help_text="In the paper's order.")
    published = serializers.DateField(help_text="Date of version 1.")
    updated = serializers.DateField(help_text="Date of the latest version.")
    primary_category = serializers.CharField(allow_null=True)
    categories = serializers.ListField(child=serializers.CharField(), help_text="Every category, primary included.")
    comment_count = serializers.IntegerField(help_text="Visible comments on the paper's own discussion.")
    discussion_count = serializers.IntegerField(
        help_text="Visible comments on the paper and on the videos that explain it (what `has_discussion` and "
        "`ordering=discussed` read)."
    )
    url = serializers.CharField(help_text="This paper in the API.")
    html_url = serializers.CharField(help_text="This paper's page on the hub.")
    abs_url = serializers.URLField()
    pdf_url = serializers.URLField()
    highlight = HighlightSerializer(allow_null=True, help_text="With `q`: where the words matched; else null.")


class PaperVideoSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    channel = serializers.CharField(help_text="The channel's slug.")
    role = serializers.ChoiceField(choices=["explained", "previous", "mentioned"])
    url = serializers.CharField()


class PaperVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="1 for v1.")
    submitted = serializers.DateTimeField(help_text="When arXiv received this version.")
    size = serializers.CharField(allow_blank=True, help_text='As arXiv gives it, e.g. "424kb"; empty if not known.')
    abs_url = serializers.URLField(help_text="This version's abstract page on arXiv.")


class PaperDetailSerializer(PaperListItemSerializer):
    highlight = None
    doi = serializers.CharField(allow_blank=True)
    journal_ref = serializers.CharField(allow_blank=True)
    arxiv_comments = serializers.CharField(allow_blank=True, help_text="The authors' arXiv comments.")
    code_url = serializers.CharField(allow_blank=True)
    license = serializers.CharField(allow_blank=True, help_text="The license's URL as arXiv gives it; empty if none.")
    license_name = serializers.CharField(
        allow_blank=True, help_text='A readable name ("CC BY 4.0"); the URL for a license without one; empty if none.'
    )
    versions = PaperVersionSerializer(
        many=True, help_text="Every version the hub knows of, oldest first (some imports know only some)."
    )
    is_stub = serializers.BooleanField(help_text="Known from a link only; metadata still to fetch.")
    modified_at = serializers.DateTimeField()
    videos = PaperVideoSerializer(many=True, help_text="Videos that explain or mention the paper.")
    comments_url = serializers.CharField(help_text="The paper's discussion in the API.")


# --- Read builders ----------------------------------------------------------------------------------------------------


def _paper_item(row: dict, authors: list[dict], categories: list[str]) -> dict:
    arxiv_id = row["arxiv_id"]
    return {
        "arxiv_id": arxiv_id,
        "version": row["version"],
        "title": row["title"],
        "abstract": row["abstract"],
        "authors": authors,
        "published": row["published"],
        "updated": row["updated"],
        "primary_category": row["primary_category_id"],
        "categories": categories,
        "comment_count": row["comment_count"],
        "discussion_count": row["discussion_count"],
        "url": url_for("paper-detail", arxiv_id),
        "html_url": url_for("papers:detail", arxiv_id),
        "abs_url": f"{arxiv.ARXIV_BASE_URL}/abs/{arxiv_id}",
        "pdf_url": f"{arxiv.ARXIV_BASE_URL}/pdf/{arxiv_id}",
    }


def _authors_and_categories(paper_ids: list[int]) -> tuple[dict[int, list[dict]], dict[int, list[str]]]:
    """Two queries for a whole page: the ordered authors and the categories of each paper."""
    authors: dict[int, list[dict]] = defaultdict(list)
    for paper_id, author_id, name in (
        Authorship.objects.filter(paper_id__in=paper_ids)
        .order_by("paper_id", "position")
        .values_list("paper_id", "author_id", "author__name")
    ):
        authors[paper_id].append({"id": author_id, "name": name})
    categories: dict[int, list[str]] = defaultdict(list)
    for paper_id, code in (
        Paper.categories.through.objects.filter(paper_id__in=paper_ids)
        .order_by("paper_id", "category_id")
        .values_list("paper_id", "category_id")
    ):
        categories[paper_id].append(code)
    return authors, categories


def paper_list_items(rows: Iterable[dict], highlights: dict[int, dict] | None = None) -> list[dict]:
    """List items for `rows` (values() of LIST_COLUMNS), in their order: two queries, whatever their number."""
    rows = list(rows)
    if not rows:
        return []
    authors, categories = _authors_and_categories([row["id"] for row in rows])
    items = []
    for row in rows:
        item = _paper_item(row, authors.get(row["id"], []), categories.get(row["id"], []))
        item["highlight"] = highlights.get(row["id"]) if highlights else None
        items.append(item)
    return items


def paper_detail(arxiv_id: str) -> dict | None:
    """A paper by canonical id with its authors, categories, versions and videos (five queries), or None."""
    # order_by(): without it first() would sort by the model's newest-first order, and PostgreSQL may then walk
    # that index to the row instead of looking the unique id up.
    rows = list(Paper.objects.filter(arxiv_id=arxiv_id).order_by().values(*DETAIL_COLUMNS)[:1])
    if not rows:
        return None
    row = rows[0]
    authors, categories = _authors_and_categories([row["id"]])
    item = _paper_item(row, authors.get(row["id"], []), categories.get(row["id"], []))
    for column in ("doi", "journal_ref", "arxiv_comments", "code_url", "license", "is_stub", "modified_at"):
        item[column] = row[column]
    item["license_name"] = license_name(row["license"])
    versions = PaperVersion.objects.filter(paper_id=row["id"]).order_by("number")
    item["versions"] = [
        {
            "version": number,
            "submitted": submitted,
            "size": size,
            "abs_url": f"{arxiv.ARXIV_BASE_URL}/abs/{arxiv_id}v{number}",
        }
        for number, submitted, size in versions.values_list("number", "submitted", "size")
    ]
    # The videos through the paper's own reverse relation: papers reads what links to it, without importing videos.
    links = (
        Paper.objects.filter(pk=row["id"], video_links__isnull=False)
        .order_by("video_links__video__published", "video_links__video_id")
        .values_list(
            "video_links__video__slug",
            "video_links__video__title",
            "video_links__video__channel__slug",
            "video_links__role",
        )
    )
    item["videos"] = [
        {"slug": slug, "title": title, "channel": channel, "role": role, "url": url_for("video-detail", slug)}
        for slug, title, channel, role in links
    ]
    item["comments_url"] = list_url("comment-list", paper=arxiv_id)
    return item


# --- Writes (curators) ------------------------------------------------------------------------------------------------


class PaperWriteSerializer(serializers.ModelSerializer):
    """What a curator sends to add or fix a paper. The id may be in any accepted form; it is stored canonical."""

    arxiv_id = serializers.CharField(max_length=80, help_text="Any accepted form: 2105.06548v2, arXiv:hep-th/9901001.")
    primary_category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), allow_null=True, required=False
    )
    categories = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), many=True, required=False
    )
    authors = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=2000,
        write_only=True,
        help_text="Author names in order; replaces the paper's authors.",
    )

    class Meta:
        model = Paper
        fields = [
            "arxiv_id",
            "version",
            "title",
            "abstract",
            "published",
            "updated",
            "primary_category",
            "categories",
            "doi",
            "journal_ref",
            "arxiv_comments",
            "code_url",
            "authors",
        ]

    def validate_arxiv_id(self, value: str) -> str:
        try:
            return arxiv.canonical_arxiv_id(value)
        except arxiv.InvalidArxivId as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs: dict) -> dict:
        full_clean_with(Paper, {k: v for k, v in attrs.items() if k != "authors"}, instance=self.instance)
        return attrs

    @transaction.atomic
    def create(self, validated_data: dict) -> Paper:
        names = validated_data.pop("authors", None)
        paper = super().create(validated_data)
        if names is not None:
            _set_authors(paper, names)
        return paper

    @transaction.atomic
    def update(self, instance: Paper, validated_data: dict) -> Paper:
        names = validated_data.pop("authors", None)
        paper = super().update(instance, validated_data)
        if names is not None:
            _set_authors(paper, names)
        return paper


def _set_authors(paper: Paper, names: list[str]) -> None:
    paper.authorships.all().delete()
    seen: set[int] = set()
    position = 0
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        author, _ = Author.objects.get_or_create(key=arxiv.author_key(name), defaults={"name": name})
        if author.pk in seen:
            continue
        seen.add(author.pk)
        Authorship.objects.create(paper=paper, author=author, position=position)
        position += 1
    paper.refresh_author_names()


class AuthorSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Author
        fields = ["id", "name", "url", "html_url"]
        read_only_fields = ["id"]

    def get_url(self, author: Author) -> str:
        return url_for("author-detail", author.pk)

    def get_html_url(self, author: Author) -> str:
        return author.get_absolute_url()

    def validate(self, attrs: dict) -> dict:
        name = " ".join(attrs.get("name", getattr(self.instance, "name", "")).split())
        full_clean_with(Author, {**attrs, "name": name}, instance=self.instance, key=arxiv.author_key(name))
        return {**attrs, "name": name}

    def save(self, **kwargs) -> Author:
        # The key follows the name, so that later imports of the same spelling find this author.
        return super().save(key=arxiv.author_key(self.validated_data["name"]), **kwargs)


class AuthoredPaperSerializer(serializers.Serializer):
    arxiv_id = serializers.CharField(source="paper.arxiv_id")
    title = serializers.CharField(source="paper.title")
    published = serializers.DateField(source="paper.published")
    position = serializers.IntegerField(help_text="0 for the first author.")
    url = serializers.SerializerMethodField()

    def get_url(self, authorship: Authorship) -> str:
        return url_for("paper-detail", authorship.paper.arxiv_id)


class AuthorDetailSerializer(AuthorSerializer):
    papers = AuthoredPaperSerializer(many=True, read_only=True, source="authorships", help_text="Newest first.")

    class Meta(AuthorSerializer.Meta):
        fields = [*AuthorSerializer.Meta.fields, "papers"]
