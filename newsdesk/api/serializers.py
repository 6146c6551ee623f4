"""The shapes of the API's answers, for the OpenAPI document and the checks against it.

The values come from representation.py (one place says what an article looks like,
for the API and the webhooks alike); these serializers only pass them through and
describe them. The schemathesis run in the tests checks every answer against this
description, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from newsdesk.articles.models import ArticlePage, Author, SectionPage

from . import representation


class PassThrough(serializers.Serializer):  # type: ignore[type-arg]
    """Output only: its fields describe; `represent` builds the value."""

    def represent(self, instance: Any) -> dict[str, Any]:
        raise NotImplementedError

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.represent(instance)


class RenditionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class ImageSerializer(serializers.Serializer):  # type: ignore[type-arg]
    alt = serializers.CharField(allow_blank=True)
    caption = serializers.CharField(allow_blank=True)
    credit = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField(help_text="The original's width in pixels.")
    height = serializers.IntegerField(help_text="The original's height in pixels.")
    renditions = RenditionSerializer(many=True, help_text="Sizes to choose from, smallest first.")


class SectionSerializer(PassThrough):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    intro = serializers.CharField(allow_blank=True)
    url = serializers.URLField(allow_null=True)

    def represent(self, instance: SectionPage) -> dict[str, Any]:
        return representation.section_representation(instance, root=self.context.get("root"))


class AuthorLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()
    url = serializers.URLField()


class AuthorSerializer(PassThrough):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    bio = serializers.CharField(allow_blank=True)
    url = serializers.URLField()
    photo = ImageSerializer(allow_null=True)
    links = AuthorLinkSerializer(many=True)

    def represent(self, instance: Author) -> dict[str, Any]:
        return representation.author_representation(instance, root=self.context.get("root"))


class TagSerializer(PassThrough):
    slug = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField()

    def represent(self, instance: Any) -> dict[str, Any]:
        return representation.tag_representation(instance, root=self.context.get("root"))


class BylineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    url = serializers.URLField()


class ArticleSummarySerializer(PassThrough):
    id = serializers.IntegerField()
    headline = serializers.CharField()
    standfirst = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text="The article's dated address on the site.")
    first_published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True, help_text="Last publish or newest correction.")
    section = SectionSerializer(allow_null=True, help_text="The primary section.")
    authors = BylineSerializer(many=True)
    tags = TagSerializer(many=True)
    lead_image = ImageSerializer(allow_null=True)

    def represent(self, instance: ArticlePage) -> dict[str, Any]:
        return representation.article_summary(instance)


class BodyBlockSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One block of the body; which fields it carries depends on `type`."""

    type = serializers.ChoiceField(choices=["paragraph", "heading", "quote", "image", "embed"])
    html = serializers.CharField(required=False, help_text="paragraph: sanitised HTML.")
    text = serializers.CharField(required=False, help_text="heading, quote: plain text.")
    attribution = serializers.CharField(required=False, allow_blank=True, help_text="quote: who said it.")
    image = ImageSerializer(required=False, help_text="image: the picture.")
    url = serializers.URLField(required=False, help_text="embed: the outside address.")
    title = serializers.CharField(required=False, help_text="embed: what readers find there.")


class AttributionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    source_name = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True)
    via_name = serializers.CharField(allow_blank=True)
    via_url = serializers.CharField(allow_blank=True)


class CorrectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=["correction", "clarification"])
    text = serializers.CharField()
    significant = serializers.BooleanField()
    published_at = serializers.DateTimeField()


class ArticleSerializer(ArticleSummarySerializer):
    canonical_url = serializers.URLField()
    last_published_at = serializers.DateTimeField(allow_null=True)
    sections = SectionSerializer(many=True, help_text="The primary section first.")
    authors = AuthorSerializer(many=True)  # type: ignore[assignment]
    body = BodyBlockSerializer(many=True)
    body_html = serializers.CharField(allow_blank=True)
    reading_time = serializers.CharField()
    attribution = AttributionSerializer()
    corrections = CorrectionSerializer(many=True)

    def represent(self, instance: ArticlePage) -> dict[str, Any]:
        return representation.article_representation(instance)


class HomeRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    section = SectionSerializer()
    articles = ArticleSummarySerializer(many=True)


class HomeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lead = ArticleSummarySerializer(allow_null=True)
    rows = HomeRowSerializer(many=True)


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()
