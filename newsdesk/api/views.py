"""The read API's endpoints under /api/v1/: thin views over selectors.py and representation.py.

Every answer is JSON with a strong `ETag` (a digest of the body, the same the page cache
gives its copies) and answers `If-None-Match` / `If-Modified-Since` with 304. Anonymous
answers are public for as long as pages are (`Cache-Control` from the page cache), so
the page cache (and a CDN) keep them until an article they show changes
(articles/purges.py purges the API's paths with the article's pages). Answers to a
request with a key are `private, no-cache`: never kept in a shared cache.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from newsdesk.articles.models import ArticlePage
from newsdesk.core import page_cache

from . import selectors
from .authentication import BearerKeyAuthentication
from .models import Scope
from .pagination import BySlug, NewestFirst
from .permissions import ReadAllowed, key_grants
from .representation import site_root
from .serializers import (
    ArticleSerializer,
    ArticleSummarySerializer,
    AuthorSerializer,
    ErrorSerializer,
    HomeSerializer,
    SectionSerializer,
    TagSerializer,
)
from .throttling import KeyOrClientThrottle

# DRF's validation errors: each parameter that is not valid, with its message(s).
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}
# The largest id the database can hold (a signed 64-bit integer); past it, nothing is there.
MAX_ID = 2**63 - 1
ERRORS = {
    400: OpenApiResponse(FIELD_ERRORS, description="A parameter is not valid: its name and what is wrong."),
    401: OpenApiResponse(ErrorSerializer, description="The key is unknown, revoked or expired, or a key is needed."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; try again after `Retry-After` seconds."),
}
# A key is optional while anonymous reading is on (the default).
# (drf-spectacular's stubs type `auth` as names, but it passes security requirement objects through.)
AUTH: Any = [{"apiKey": []}, {}]
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No published article here.")}
BAD_CURSOR = {404: OpenApiResponse(ErrorSerializer, description="The cursor is not one this list gave out.")}


# Keys, limits, JSON, validators, cache headers and CORS for every endpoint (a comment, not a
# docstring: drf-spectacular would print a docstring as every operation's description). The
# classes are named here rather than in DRF's global defaults: Wagtail's admin API runs on DRF too.
class ApiView(GenericAPIView):  # type: ignore[type-arg]
    authentication_classes = [BearerKeyAuthentication]
    permission_classes = [ReadAllowed]
    throttle_classes = [KeyOrClientThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes: list[type] = []
    # A read API: anything else is 405, not a 401 asking for a key that would not help.
    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.auth is not None:
            response["Cache-Control"] = "private, no-cache"
        elif response.status_code == 200:
            response["Cache-Control"] = page_cache.shared_cache_control()
        patch_vary_headers(response, ["Authorization"])
        add_cors_headers(request._request, response)
        return response

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()  # type: ignore[attr-defined]
        response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=12).hexdigest() + '"'
        modified = getattr(self, "last_modified", None)
        if modified is not None:
            response["Last-Modified"] = http_date(modified.timestamp())
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=modified.timestamp() if modified else None, response=response
        )
        return conditional if conditional is not None else response


def add_cors_headers(request: HttpRequest, response: HttpResponseBase) -> None:
    """Let the allowed origins (NEWSDESK_API_CORS_ORIGINS) read answers from browsers, keys included."""
    allowed = settings.NEWSDESK_API_CORS_ORIGINS
    origin = request.headers.get("Origin")
    if not allowed:
        return
    if "*" in allowed:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        patch_vary_headers(response, ["Origin"])
        if origin not in allowed:
            return
        response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Allow-Headers"] = "Authorization"
    response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
    response["Access-Control-Max-Age"] = "600"


class ArticleFilters(serializers.Serializer):  # type: ignore[type-arg]
    section = serializers.SlugField(required=False, help_text="A section's slug: its articles, primary or not.")
    tag = serializers.SlugField(required=False, help_text="A tag's slug.")
    author = serializers.SlugField(required=False, help_text="An author's slug.")
    published_since = serializers.DateTimeField(required=False, help_text="First published at or after (ISO 8601).")
    published_until = serializers.DateTimeField(required=False, help_text="First published before (ISO 8601).")
    updated_since = serializers.DateTimeField(
        required=False, help_text="Published again or corrected at or after (ISO 8601): for incremental sync."
    )
    q = serializers.CharField(
        required=False, max_length=200, help_text="Search words (at most 12); results stay newest first."
    )


class ArticleList(ApiView):
    """Published articles, newest first, a page at a time; filters narrow the list."""

    pagination_class = NewestFirst
    serializer_class = ArticleSummarySerializer

    @extend_schema(
        auth=AUTH,
        operation_id="articles_list",
        summary="Published articles, newest first",
        parameters=[ArticleFilters],
        responses={200: ArticleSummarySerializer(many=True), **BAD_CURSOR, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        filters = ArticleFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        values = dict(filters.validated_data)
        queryset = selectors.filter_articles(selectors.api_articles(), query=values.pop("q", None), **values)
        page = self.paginate_queryset(queryset) or []
        self.last_modified = max((article.updated_at for article in page if article.updated_at), default=None)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ArticleDetail(ApiView):
    """One article, as its page shows it."""

    serializer_class = ArticleSerializer

    @extend_schema(
        auth=AUTH,
        operation_id="articles_retrieve",
        summary="One article by id",
        description="Published articles only; a key with the read-drafts scope also gets drafts, "
        "scheduled, expired and private articles (their newest revision).",
        parameters=[
            OpenApiParameter("id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH)
        ],
        responses={200: ArticleSerializer, **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        if pk > MAX_ID:
            raise Http404("No such article")
        article: ArticlePage | None = selectors.api_articles().filter(pk=pk).first()
        if article is None and key_grants(request, Scope.READ_DRAFTS):
            article = selectors.article_any_state(pk)
        if article is None:
            raise Http404("No such article")
        self.last_modified = article.updated_at
        return Response(self.get_serializer(article).data)


class ArticleByPath(ApiView):
    """One published article, found by its dated address on the site."""

    serializer_class = ArticleSerializer

    @extend_schema(
        auth=AUTH,
        operation_id="articles_by_path",
        summary="One published article by its dated address",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^\d{4}$"),
            OpenApiParameter("month", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^\d{2}$"),
            OpenApiParameter("day", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^\d{2}$"),
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-\w]+$"),
        ],
        responses={200: ArticleSerializer, **NOT_FOUND, **ERRORS},
    )
    def get(self, request: Request, year: str, month: str, day: str, slug: str) -> Response:
        article = selectors.api_articles().filter(slug=slug).first()
        if article is None or article.dated_path() != f"/{year}/{month}/{day}/{slug}/":
            raise Http404("No such article")
        self.last_modified = article.updated_at
        return Response(self.get_serializer(article).data)


class SectionList(ApiView):
    """Every published section, in the order of the site's menu."""

    serializer_class = SectionSerializer

    @extend_schema(
        auth=AUTH,
        operation_id="sections_list",
        summary="The sections, in menu order",
        responses={200: SectionSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        root = site_root()
        return Response(SectionSerializer(selectors.sections(), many=True, context={"root": root}).data)


class AuthorList(ApiView):
    """The newsroom's authors, by slug, a page at a time."""

    pagination_class = BySlug
    serializer_class = AuthorSerializer

    @extend_schema(
        auth=AUTH,
        operation_id="authors_list",
        summary="The authors, by slug",
        responses={200: AuthorSerializer(many=True), **BAD_CURSOR, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.authors())
        return self.get_paginated_response(AuthorSerializer(page, many=True, context={"root": site_root()}).data)


class TagList(ApiView):
    """Tags that at least one published article carries, by slug, a page at a time."""

    pagination_class = BySlug
    serializer_class = TagSerializer

    @extend_schema(
        auth=AUTH,
        operation_id="tags_list",
        summary="Tags on published articles, by slug",
        responses={200: TagSerializer(many=True), **BAD_CURSOR, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.tags())
        return self.get_paginated_response(TagSerializer(page, many=True, context={"root": site_root()}).data)


class Home(ApiView):
    """The home page's lead story and its rows of stories per section, as the page shows them."""

    serializer_class = HomeSerializer

    @extend_schema(
        auth=AUTH,
        operation_id="home_retrieve",
        summary="The home page's lead and section rows",
        responses={200: HomeSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(HomeSerializer(selectors.home()).data)
