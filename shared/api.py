"""What every API view of the hub shares: permissions, paging, throttles, caching headers, the error shape.

The apps' api modules import from here; hub/api.py (the router) imports the apps' api modules. Keeping these
pieces out of hub/api.py is what lets both directions work without an import cycle.
"""

from __future__ import annotations

import copy
import hashlib

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.cache import get_conditional_response
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.settings import api_settings

# --- Permissions ------------------------------------------------------------------------------------------------------


class IsStaffOrReadOnly(permissions.BasePermission):
    """The catalogue: anyone reads it, only staff (curators) create and change it."""

    message = "Only curators may change the catalogue."

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


# --- Paging -----------------------------------------------------------------------------------------------------------


class CataloguePagination(PageNumberPagination):
    """Page numbers for the catalogue, which changes slowly: `?page=2&page_size=50`."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class GrowingListPagination(CursorPagination):
    """A cursor for lists that grow while a client reads them (a thread, a member's notes): no row is
    skipped or repeated when new ones arrive between two pages."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


def form_parameters(
    form_class,
    *,
    names: dict[str, str] | None = None,
    types: dict[str, type] | None = None,
    exclude: tuple[str, ...] = ("page",),
) -> list[OpenApiParameter]:
    """The query parameters of an API list declared from the Django form that reads them (the same form as the
    page's), so that the schema cannot drift from what is accepted. `names` renames, `types` overrides."""
    names, types = names or {}, types or {}
    parameters = []
    for name, field in form_class.base_fields.items():
        if name in exclude:
            continue
        kind = types.get(name) or (int if isinstance(field, forms.IntegerField) else str)
        choices = [value for value, _ in getattr(field, "choices", []) if value] if kind is str else None
        parameters.append(
            OpenApiParameter(
                names.get(name, name),
                {int: OpenApiTypes.INT, bool: OpenApiTypes.BOOL}.get(kind, OpenApiTypes.STR),
                description=str(field.help_text or field.label or ""),
                enum=choices or None,
            )
        )
    return parameters


# --- Caching headers --------------------------------------------------------------------------------------------------


class ETagMixin:
    """An ETag on every successful catalogue read, and 304 Not Modified when the client already holds it.

    The tag is a digest of the rendered body, so it is exact whatever changed (a paper, its authors, its videos) and
    costs no query. The body is still built; the saving is the transfer, and a client's parse.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
            response["ETag"] = etag
            patch_vary = response.get("Vary", "")
            if "Accept" not in patch_vary:
                response["Vary"] = f"{patch_vary}, Accept" if patch_vary else "Accept"
            return get_conditional_response(request, etag=etag, response=response)
        return response


# --- Filters --------------------------------------------------------------------------------------------------------


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, building its form class once per FilterSet class instead of once a request.

    Building it derives a label for every filter from the model's verbose names, which measured at about 3 ms a
    request on the papers list: as much as its three queries. The form class depends on nothing in the request.
    """

    def get_form_class(self):
        cls = type(self)
        if "_cached_form_class" not in cls.__dict__:
            cls._cached_form_class = super().get_form_class()
        return cls._cached_form_class


# --- Model validation from serializers --------------------------------------------------------------------------------


def full_clean_with(model: type[models.Model], attrs: dict, *, instance: models.Model | None = None, **prepare):
    """Run the model's own validation (fields, unique and check constraints) on `attrs` applied to a copy of
    `instance` (or a new object), so that a rule the database enforces answers 400, not an IntegrityError 500.

    Many-to-many values in attrs are skipped; `prepare` sets extra attributes first (e.g. a derived key).
    """
    candidate = copy.copy(instance) if instance is not None else model()
    many_to_many = {f.name for f in model._meta.many_to_many}
    for name, value in {**attrs, **prepare}.items():
        if name not in many_to_many:
            setattr(candidate, name, value)
    try:
        candidate.full_clean()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(as_field_errors(exc)) from exc
    return candidate


def as_field_errors(exc: DjangoValidationError) -> dict | list:
    """Django's ValidationError in DRF's shape: {field: [messages]} or [messages]."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): get_error_detail(
                DjangoValidationError(errors)
            )
            for field, errors in exc.error_dict.items()
        }
    return get_error_detail(exc)


# --- The error shape, and a schema that declares it -------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer of the API has this shape."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated for clients that log bodies.")
    code = serializers.CharField(help_text="A stable machine-readable code: invalid, not_found, throttled, ...")
    detail = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For 400: the messages of each field that is wrong ('non_field_errors' for the whole input).",
    )


class HubAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error answers each operation can give, in the one error shape."""

    def _error_statuses(self) -> dict[str, str]:
        statuses = {
            "401": "The token or session is missing (where needed) or not valid.",
            "429": "Too many requests; the Retry-After header says when to try again.",
        }
        has_path_parameter = "{" in self.path
        is_read = self.method in ("GET", "HEAD")
        if not is_read:
            statuses["400"] = "The input is not valid; `fields` says what to fix."
            statuses["403"] = "You may not do this (or the session's CSRF token is missing)."
        elif not has_path_parameter:
            statuses["400"] = "A query parameter is not valid; `fields` says which."
        if has_path_parameter or (is_read and getattr(self.view, "pagination_class", None) is not None):
            statuses["404"] = "No such object (or it is private), or no such page."
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_statuses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = description
        return responses
