"""The article body, with its sponsored slots live and its text kept rendered between renders."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from newsdesk.ads.templatetags.ads_tags import ad_slot, inline_ad_index
from newsdesk.articles.models import ArticlePage
from newsdesk.core.fragments import kept as kept_cache
from newsdesk.core.templatetags.fragment_tags import LIFETIME_SECONDS

from ..isolation import isolated

register = template.Library()


@register.simple_tag(takes_context=True)
def article_body(context: template.Context, page: ArticlePage, fragment_key: str | None) -> SafeString:
    """The body's blocks, with the inline slot after the block the Ads settings choose, or where an editor put one.

    Runs of blocks between slots are kept rendered under `fragment_key` (the
    article's revision and settings; None in previews). The slots are not: which
    creatives run changes without the article changing.
    """
    blocks = list(page.body)
    inline_at = inline_ad_index(page)
    runs: list[tuple[int, int, bool]] = []  # blocks [start, end) rendered together, and whether a slot follows
    start = 0
    for index, block in enumerate(blocks):
        if block.block_type == "ad_slot":
            runs.append((start, index, True))
            start = index + 1
        elif index == inline_at:
            runs.append((start, index + 1, True))
            start = index + 1
    runs.append((start, len(blocks), False))

    keys = [f"part:{fragment_key}:body:{first}:{end}" for first, end, _slot in runs]
    kept = kept_cache().get_many(keys) if fragment_key else {}
    flat = context.flatten()
    fresh: dict[str, str] = {}
    pieces: list[str] = []
    for key, (first, end, slot) in zip(keys, runs, strict=True):
        html = kept.get(key)
        if html is None:
            html = "".join(str(conditional_escape(block.render_as_block(context=flat))) for block in blocks[first:end])
            fresh[key] = html
        pieces.append(html)
        if slot:
            pieces.append(isolated("article-inline ad slot", lambda: ad_slot(context, "article-inline"), default=""))
    if fragment_key and fresh:
        kept_cache().set_many(fresh, LIFETIME_SECONDS)
    return mark_safe("".join(pieces))  # noqa: S308 - blocks render through their escaping templates
