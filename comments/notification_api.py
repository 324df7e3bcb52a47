"""Notifications and watches in the API: /api/v1/notifications/ and /api/v1/watches/ (issue 13).

Writes go through comments.services, as the pages' do. A notification carries its comment's excerpt only while the
comment is visible: the list, like the inbox page, leaves out those of deleted or removed comments.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from comments import notifications, services
from comments.models import Comment, Notification, Watch
from comments.serializers import PaperByArxivIdField
from shared.urls import url_for
from videos.models import Video

EXCERPT_LENGTH = 280
MAX_IDS = 1000


class NotificationSerializer(serializers.ModelSerializer):
    comment = serializers.IntegerField(source="comment_id", help_text="The comment the notification is about.")
    read = serializers.BooleanField(source="is_read")
    author = serializers.SerializerMethodField(help_text="Who wrote the comment (null: a former member).")
    excerpt = serializers.SerializerMethodField(help_text="The start of the comment's text, as its author wrote it.")
    url = serializers.SerializerMethodField(help_text="The comment's page.")
    target_title = serializers.SerializerMethodField(help_text="The paper's or video's title.")

    class Meta:
        model = Notification
        fields = ["id", "reason", "created_at", "read", "read_at", "comment", "author", "excerpt", "url"]
        fields += ["target_title"]

    def get_author(self, n: Notification) -> str | None:
        return n.comment.author.get_username() if n.comment.author else None

    def get_excerpt(self, n: Notification) -> str:
        body = n.comment.body if n.comment.is_visible else ""
        return body if len(body) <= EXCERPT_LENGTH else body[: EXCERPT_LENGTH - 1] + "…"

    def get_url(self, n: Notification) -> str:
        return url_for("comments:detail", n.comment_id)

    def get_target_title(self, n: Notification) -> str:
        return n.comment.target.title


class UnreadSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="Unread notifications of visible comments: the header's badge.")


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=MAX_IDS,
        help_text="The notifications to mark read; without it, all of yours.",
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are read now.")


class NotificationSettingsSerializer(serializers.Serializer):
    email = serializers.BooleanField(help_text="Also send each notification by e-mail (off until turned on).")


class InboxPagination(PageNumberPagination):
    """Unread first, then newest: an order a cursor cannot follow, so pages by number."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema_view(
    list=extend_schema(summary="Your notifications, unread first, then newest"),
    retrieve=extend_schema(summary="One of your notifications"),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = InboxPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications.inbox(self.request.user)

    @extend_schema(responses=UnreadSerializer, summary="How many of your notifications are unread")
    @action(detail=False, methods=["get"], pagination_class=None)
    def unread(self, request: Request) -> Response:
        return Response({"unread": notifications.unread_count(request.user)})

    @extend_schema(
        request=MarkReadSerializer,
        responses=MarkedSerializer,
        summary="Mark notifications read",
        operation_id="notifications_read_many",
    )
    @action(detail=False, methods=["post"], url_path="read", pagination_class=None)
    def read_many(self, request: Request) -> Response:
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(user=request.user, pks=serializer.validated_data.get("ids"))
        return Response({"marked": marked})

    @extend_schema(
        request=None, responses=MarkedSerializer, summary="Mark one notification read", operation_id="notification_read"
    )
    @action(detail=True, methods=["post"], url_path="read", pagination_class=None)
    def read_one(self, request: Request, pk: str) -> Response:
        notification = self.get_object()
        return Response({"marked": services.notifications_mark_read(user=request.user, pks=[notification.pk])})

    @extend_schema(methods=["GET"], responses=NotificationSettingsSerializer, summary="Your notification settings")
    @extend_schema(
        methods=["PATCH"],
        request=NotificationSettingsSerializer,
        responses=NotificationSettingsSerializer,
        summary="Turn notification e-mails on or off",
    )
    @action(detail=False, methods=["get", "patch"], url_path="settings", pagination_class=None)
    def email_settings(self, request: Request) -> Response:
        if request.method == "PATCH":
            serializer = NotificationSettingsSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.notification_email_set(user=request.user, email=serializer.validated_data["email"])
        return Response({"email": notifications.email_wanted(request.user)})


class WatchSerializer(serializers.ModelSerializer):
    paper = PaperByArxivIdField(required=False, allow_null=True, help_text="A paper's arXiv id (any form).")
    video = serializers.SlugRelatedField(
        slug_field="slug", queryset=Video.objects.all(), required=False, allow_null=True, help_text="A video's slug."
    )
    comment = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.all(),
        required=False,
        allow_null=True,
        help_text="A thread: this comment and every reply below it.",
    )
    state = serializers.ChoiceField(choices=Watch.State.choices, default=Watch.State.WATCH)

    class Meta:
        model = Watch
        fields = ["id", "paper", "video", "comment", "state", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate(self, attrs: dict) -> dict:
        if sum(attrs.get(name) is not None for name in ("paper", "video", "comment")) != 1:
            raise serializers.ValidationError({"paper": "Give exactly one of paper, video or comment."})
        return attrs


@extend_schema_view(
    list=extend_schema(summary="What you watch and mute"),
    retrieve=extend_schema(summary="One of your watches"),
    create=extend_schema(
        summary="Watch or mute a paper, a video or a thread",
        description="Watching a paper or video tells you of each new top-level comment; a thread, of each reply in "
        "it. A mute silences every notification from inside it and wins over any watch. Posting again for the same "
        "subject changes the state.",
    ),
    destroy=extend_schema(summary="Forget a watch or a mute"),
)
class WatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WatchSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = InboxPagination
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Watch.objects.none()
        return Watch.objects.filter(user=self.request.user).select_related("paper", "video").order_by("-pk")

    def perform_create(self, serializer: WatchSerializer) -> None:
        serializer.instance = services.watch_set(user=self.request.user, **serializer.validated_data)

    def perform_destroy(self, watch: Watch) -> None:
        services.watch_set(
            user=self.request.user, state=None, paper=watch.paper, video=watch.video, comment=watch.comment
        )
