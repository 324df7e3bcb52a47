"""API tokens for client developers: issued and revoked on the member's own page and through the API.

The hub uses DRF's own tokens (rest_framework.authtoken): one token per member, which a client sends as
`Authorization: Token <key>`. Revoking deletes it; issuing again makes a new key, so a leaked key dies at once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response


@transaction.atomic
def token_issue(*, user, replace: bool = False) -> tuple[Token, bool]:
    """The member's token, made when they have none; with `replace`, always a new key (the old one stops working)."""
    if replace:
        Token.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)


def token_revoke(*, user) -> bool:
    """Delete the member's token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


# --- The member's page: /accounts/tokens/ -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("issue", "replace"):
            token_issue(user=request.user, replace=action == "replace")
            messages.success(request, "Your API token is ready. Keep it secret: it acts as you.")
        elif action == "revoke":
            if token_revoke(user=request.user):
                messages.success(request, "Your API token is revoked. Clients that used it are signed out.")
        else:
            messages.error(request, "Choose to issue, replace or revoke your token.")
        return redirect("api-tokens")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/api_tokens.html", {"token": token})


# --- The endpoint: /api/v1/token/ -------------------------------------------------------------------------------------


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")
    created = serializers.DateTimeField(help_text="When this key was issued.")


@extend_schema(
    methods=["POST"],
    request=TokenRequestSerializer,
    responses={200: TokenSerializer},
    summary="Get your token with your username and password",
    description="Answers the member's current token, issuing one when they have none.",
)
@extend_schema(methods=["DELETE"], responses={204: None}, summary="Revoke the token of the member making the request")
@api_view(["POST", "DELETE"])
@permission_classes([permissions.AllowAny])
def token_endpoint(request: Request) -> Response:
    if request.method == "DELETE":
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
    credentials = AuthTokenSerializer(data=request.data, context={"request": request})
    credentials.is_valid(raise_exception=True)
    token, _ = token_issue(user=credentials.validated_data["user"])
    return Response({"token": token.key, "created": token.created})
