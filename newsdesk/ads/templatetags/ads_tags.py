from functools import lru_cache
from typing import cast

from django import template
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from newsdesk.articles.models import ArticlePage, SectionPage

from ..models import Placement
from ..selectors import SlotCreative, ad_settings, inline_slot_index, slot_creatives

register = template.Library()

# Where each slot sits, for screen readers: every slot shows the same visible label
# ("Sponsored"), and landmarks that share a name cannot be told apart in a landmark list.
WHERE: dict[str, str | Promise] = {
    Placement.HEADER: _("top of the page"),
    Placement.ARTICLE_TOP: _("above the article"),
    Placement.ARTICLE_INLINE: _("within the article"),
    Placement.ARTICLE_BOTTOM: _("below the article"),
    Placement.SIDEBAR: _("in the sidebar"),
    Placement.FOOTER: _("bottom of the page"),
}


def _section_id(page: Page | None) -> int | None:
    if isinstance(page, ArticlePage):
        return page.primary_section_id
    if isinstance(page, SectionPage):
        return page.pk
    return None


@register.simple_tag(takes_context=True)
def ad_slot(context: template.Context, placement: str) -> SafeString:
    """A labelled slot with its size reserved, holding every creative it may rotate through."""
    request = context.get("request")
    user = getattr(request, "user", None)
    staff = bool(user and user.is_authenticated and user.is_staff)
    creatives = slot_creatives(placement, section_id=_section_id(context.get("page")), staff=staff)
    if not creatives:
        return SafeString("")
    return _slot_html(placement, _slot_id(context, placement), get_language(), tuple(creatives))


def _slot_id(context: template.Context, placement: str) -> str:
    """What the slot's element ids end with: the placement, numbered from the second slot of a
    placement on one page (an article body may hold several inline slots; ids must be unique)."""
    seen = cast("dict[str, int]", context.render_context.setdefault("ads_slots_seen", {}))  # type: ignore[arg-type]
    seen[placement] = seen.get(placement, 0) + 1
    return placement if seen[placement] == 1 else f"{placement}-{seen[placement]}"


# The same slot is rendered on every page render (six per article page) from creatives
# that change at most once a minute: each markup is rendered once per process. The key
# holds everything the markup shows, so a changed creative is a new entry, never stale.
@lru_cache(maxsize=256)
def _slot_html(placement: str, slot_id: str, language: str | None, creatives: tuple[SlotCreative, ...]) -> SafeString:
    context = {"placement": placement, "slot_id": slot_id, "where": WHERE.get(placement, ""), "creatives": creatives}
    return SafeString(render_to_string("ads/slot.html", context))


@register.simple_tag
def inline_ad_index(page: ArticlePage) -> int | None:
    """Where the automatic inline slot goes, or None when an editor placed one in the body."""
    kinds = [block.block_type for block in page.body]
    if not kinds or "ad_slot" in kinds:
        return None
    return inline_slot_index(kinds, int(ad_settings()["inline_after_paragraph"]))  # type: ignore[call-overload]
