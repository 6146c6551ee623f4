"""`Authorization: Bearer <token>` with an API key (models.ApiKey)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from . import services
from .models import ApiKey


class BearerKeyAuthentication(BaseAuthentication):
    """A request with a key acts as that key (`request.auth`); without one, as an anonymous reader.

    A key that is unknown, revoked or expired is refused outright (401) rather than
    read as anonymous: a partner whose key lapsed should learn it, not silently see less.
    """

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiKey] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the key as “Authorization: Bearer <token>”.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Unknown, revoked or expired API key.") from None
        key = services.api_key_find(token)
        if key is None:
            raise AuthenticationFailed("Unknown, revoked or expired API key.")
        services.api_key_note_use(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How drf-spectacular describes the key in the OpenAPI document."""

    target_class = "newsdesk.api.authentication.BearerKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An API key made by an Admin (Settings → API keys)."}
