"""The REST API under /api/v1/: one router for every resource, the schema and its docs, and the error shape.

Every 4xx answer, whatever raised it (a serializer, a service's Django ValidationError, Http404, PermissionDenied,
a throttle, an unknown URL), leaves as the same JSON object: {status, code, detail, fields}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path, re_path, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import exceptions, permissions, routers, serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts import tokens
from comments.api import CommentViewSet, NoteViewSet, correction_fixed
from comments.notification_api import NotificationViewSet, WatchViewSet
from papers.api import AuthorViewSet, PaperViewSet
from shared.api import as_field_errors
from shared.urls import list_url, url_for
from videos.api import ChannelViewSet, ChapterViewSet, CorrectionViewSet, VideoViewSet, video_search

# --- Errors -----------------------------------------------------------------------------------------------------------


def _flatten(detail, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        into.setdefault(prefix or "non_field_errors", []).extend(str(item) for item in detail)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            _flatten(item, f"{prefix}.{index}" if prefix else str(index), into)
    else:
        into.setdefault(prefix or "non_field_errors", []).append(str(detail))


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, after turning Django's own exceptions into DRF's, with every answer in the one shape."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_field_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a 500 stays a 500, logged as such
    if isinstance(exc, exceptions.ValidationError):
        fields: dict[str, list[str]] = {}
        _flatten(exc.detail, "", fields)
        body = {
            "status": response.status_code,
            "code": "invalid",
            "detail": "The input is not valid: " + ", ".join(fields) + ".",
            "fields": fields,
        }
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "status": response.status_code,
            "code": codes if isinstance(codes, str) else "error",
            "detail": str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc),
            "fields": {},
        }
    response.data = body
    return response


# --- Small views ------------------------------------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_staff = serializers.BooleanField(help_text="Curators may change the catalogue.")
    date_joined = serializers.DateTimeField()
    profile_url = serializers.CharField(help_text="The member's public page (profile and public notes).")
    notes_url = serializers.CharField(help_text="Their notes through the API.")


@extend_schema(responses=MeSerializer, summary="The member the request is authenticated as")
@api_view(["GET"])
@permission_classes([permissions.IsAuthenticated])
def me(request: Request) -> Response:
    user = request.user
    return Response(
        {
            "id": user.pk,
            "username": user.get_username(),
            "is_staff": user.is_staff,
            "date_joined": user.date_joined,
            "profile_url": url_for("profile", user.get_username()),
            "notes_url": list_url("note-list", owner=user.get_username()),
        }
    )


class RootSerializer(serializers.Serializer):
    resources = serializers.DictField(child=serializers.CharField())
    schema = serializers.CharField()
    docs = serializers.CharField()


@extend_schema(responses=RootSerializer, summary="Where the resources are")
@api_view(["GET"])
@permission_classes([permissions.AllowAny])
def root(request: Request) -> Response:
    resources = {prefix: reverse(f"{basename}-list") for prefix, _, basename in ROUTES}
    resources |= {"me": reverse("api-me"), "token": reverse("api-token"), "search/videos": reverse("api-video-search")}
    return Response({"resources": resources, "schema": reverse("api-schema"), "docs": reverse("api-docs")})


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([permissions.AllowAny])
def not_found(request: Request, unknown: str) -> Response:
    """Unknown URLs under /api/v1/ answer in the API's error shape, not with the site's HTML 404 page."""
    raise exceptions.NotFound(f"There is no API resource at /api/v1/{unknown}.")


# --- The router -------------------------------------------------------------------------------------------------------

router = routers.SimpleRouter()
ROUTES = [  # prefix (the API root's name for it), viewset, basename (of the URL names: paper-list, paper-detail)
    ("papers", PaperViewSet, "paper"),
    ("authors", AuthorViewSet, "author"),
    ("channels", ChannelViewSet, "channel"),
    ("videos", VideoViewSet, "video"),
    ("chapters", ChapterViewSet, "chapter"),
    ("corrections", CorrectionViewSet, "correction"),
    ("comments", CommentViewSet, "comment"),
    ("notes", NoteViewSet, "note"),
    ("notifications", NotificationViewSet, "notification"),
    ("watches", WatchViewSet, "watch"),
]
for prefix, viewset, basename in ROUTES:
    router.register(prefix, viewset, basename=basename)


urlpatterns = [
    path("", root, name="api-root"),
    path("me/", me, name="api-me"),
    path("token/", tokens.token_endpoint, name="api-token"),
    path("search/videos/", video_search, name="api-video-search"),
    # A curator's act on a correction is the comments app's service, so it is wired here beside the videos' viewset.
    path("corrections/<int:pk>/fixed/", correction_fixed, name="api-correction-fixed"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
    re_path(r"^(?P<unknown>[\s\S]*)$", not_found),  # any character, newlines too
]
