"""Channels, videos, chapters and corrections in the API: anyone reads them, curators change them."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from hub.api_base import CataloguePagination, ETagMixin, IsStaffOrReadOnly
from videos.filters import ChapterFilter, CorrectionFilter, VideoFilter
from videos.models import Channel, Chapter, Correction, Video, VideoPaper
from videos.serializers import (
    ChannelSerializer,
    ChapterSerializer,
    CorrectionSerializer,
    VideoDetailSerializer,
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

    def get_queryset(self):
        # A fixed number of queries a page: the channel joined, tags and paper links prefetched for all rows.
        queryset = (
            Video.objects.newest()
            .select_related("channel")
            .prefetch_related(
                "tags",
                Prefetch("paper_links", queryset=VideoPaper.objects.select_related("paper").order_by("position")),
            )
        )
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
