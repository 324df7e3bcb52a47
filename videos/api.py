"""Channels, videos, chapters and corrections in the API: anyone reads them, curators change them."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from papers.search import MAX_PER_PAGE
from shared.api import CataloguePagination, ETagMixin, IsStaffOrReadOnly
from videos.filters import ChapterFilter, CorrectionFilter, VideoFilter
from videos.models import Channel, Chapter, Correction, Video, VideoPaper
from videos.search import search_videos
from videos.serializers import (
    ChannelSerializer,
    ChapterSerializer,
    CorrectionSerializer,
    VideoDetailSerializer,
    VideoSearchHitSerializer,
    VideoSearchPageSerializer,
    VideoSerializer,
)

CATALOGUE_METHODS = ["get", "post", "put", "patch", "head", "options"]


class _CatalogueViewSet(ETagMixin, viewsets.ModelViewSet):
    permission_classes = [IsStaffOrReadOnly]
    pagination_class = CataloguePagination
    filter_backends = [DjangoFilterBackend]
    http_method_names = CATALOGUE_METHODS


@extend_schema_view(
    list=extend_schema(summary="Channels, by name"),
    retrieve=extend_schema(summary="A channel"),
    create=extend_schema(summary="Add a channel (curators)"),
    update=extend_schema(summary="Change a channel (curators)"),
    partial_update=extend_schema(summary="Change a channel (curators)"),
)
class ChannelViewSet(_CatalogueViewSet):
    serializer_class = ChannelSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Channel.objects.select_related("owner").order_by("name", "pk")  # owner's name on every row


@extend_schema_view(
    list=extend_schema(summary="Videos, newest first"),
    retrieve=extend_schema(
        summary="A video with its chapters, corrections and the papers it explains", responses=VideoDetailSerializer
    ),
    create=extend_schema(summary="Add a video (curators)"),
    update=extend_schema(summary="Change a video (curators)"),
    partial_update=extend_schema(summary="Change a video (curators)"),
)
class VideoViewSet(_CatalogueViewSet):
    filterset_class = VideoFilter
    lookup_field = "slug"

    @staticmethod
    def listing():
        # A fixed number of queries a page: the channel joined, tags and paper links prefetched for all rows.
        return (
            Video.objects.newest()
            .select_related("channel")
            .prefetch_related(
                "tags",
                Prefetch("paper_links", queryset=VideoPaper.objects.select_related("paper").order_by("position")),
            )
        )

    def get_queryset(self):
        queryset = self.listing()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("chapters", "corrections", "code_links")
        return queryset

    def get_serializer_class(self):
        return VideoDetailSerializer if self.action == "retrieve" else VideoSerializer


@extend_schema_view(
    list=extend_schema(summary="Chapters of videos"),
    create=extend_schema(summary="Add a chapter (curators)"),
    destroy=extend_schema(summary="Delete a chapter (curators)"),
)
class ChapterViewSet(_CatalogueViewSet):
    serializer_class = ChapterSerializer
    filterset_class = ChapterFilter
    http_method_names = [*CATALOGUE_METHODS, "delete"]

    def get_queryset(self):
        return Chapter.objects.select_related("video").order_by("video_id", "start")  # the video's slug per row


@extend_schema_view(
    list=extend_schema(summary="Errata and addenda of videos"),
    create=extend_schema(summary="Add a correction (curators)"),
    destroy=extend_schema(summary="Delete a correction (curators)"),
)
class CorrectionViewSet(_CatalogueViewSet):
    serializer_class = CorrectionSerializer
    filterset_class = CorrectionFilter
    http_method_names = [*CATALOGUE_METHODS, "delete"]

    def get_queryset(self):
        return Correction.objects.select_related("video").order_by("video_id", "position", "pk")


class VideoSearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=500, help_text="Words of a title, a summary or a chapter title.")
    page = serializers.IntegerField(min_value=1, max_value=500, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PER_PAGE, default=20)


@extend_schema(
    parameters=[VideoSearchQuerySerializer],
    responses=VideoSearchPageSerializer,
    summary="Search explainer videos",
    description="Full-text search over titles, summaries and chapter titles, best match first (the search of "
    "the site's own search page).",
)
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def video_search(request: Request) -> Response:
    query = VideoSearchQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    page, per_page = query.validated_data["page"], query.validated_data["page_size"]
    results = search_videos(query.validated_data["q"], page=page, per_page=per_page)
    if results.message and not results.hits:
        raise exceptions.ValidationError({"q": [results.message]})
    order = [hit.video.pk for hit in results.hits]
    highlights = {
        hit.video.pk: {
            "title_html": str(hit.title_html),
            "summary_html": str(hit.summary_html),
            "chapter_html": str(hit.chapter_html),
        }
        for hit in results.hits
    }
    # The hits again with tags and paper links, in a fixed number of queries, in the search's order.
    videos = VideoViewSet.listing().in_bulk(order)
    hits = VideoSearchHitSerializer(
        [videos[pk] for pk in order if pk in videos], many=True, context={"highlights": highlights}
    )
    url = request.build_absolute_uri()
    previous = None
    if page > 1:
        previous = remove_query_param(url, "page") if page == 2 else replace_query_param(url, "page", page - 1)
    return Response(
        {
            "count": results.total or 0,
            "next": replace_query_param(url, "page", page + 1) if results.has_next else None,
            "previous": previous,
            "results": hits.data,
        }
    )
