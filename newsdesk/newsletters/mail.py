"""The newsletter e-mails: an edition rendered once, then addressed per recipient.

An edition's HTML (table layout, CSS inlined with css-inline so clients that strip
<style> still show it) and plain text are rendered once per send; each recipient's copy
only swaps in its own unsubscribe and manage links. Every link is absolute, no image or
pixel tracks opens, and every message carries List-Unsubscribe with a mailto and an
HTTPS address plus `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.utils import formataddr, make_msgid
from urllib.parse import quote, urlsplit

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.selectors import published_articles

from . import tokens
from .models import Edition, Newsletter, Subscriber

logger = logging.getLogger(__name__)

UNSUBSCRIBE_MARK = "%%NEWSDESK-UNSUBSCRIBE-URL%%"
MANAGE_MARK = "%%NEWSDESK-MANAGE-URL%%"
IMAGE_SPEC = "fill-600x338|format-jpeg|jpegquality-80"

_inliner = css_inline.CSSInliner(keep_style_tags=True)  # the dark-mode media query must stay in <style>


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def mail_domain() -> str:
    return urlsplit(base_url()).hostname or "localhost"


@dataclass(frozen=True)
class Item:
    title: str
    standfirst: str
    url: str
    section: str
    image_url: str
    image_width: int
    image_height: int
    image_alt: str


def _item(article: ArticlePage) -> Item:
    image_url, width, height, alt = "", 0, 0, ""
    if article.lead_image is not None:
        try:
            rendition = article.lead_image.get_rendition(IMAGE_SPEC)
        except Exception:  # a missing or broken original must not stop an edition: the story goes without it
            logger.warning("No picture for story %s in a newsletter", article.pk, exc_info=True)
            rendition = None
        if rendition is not None:
            image_url = rendition.url if rendition.url.startswith("http") else base_url() + rendition.url
            width, height = rendition.width, rendition.height
            alt = article.lead_image_caption or article.title
    return Item(
        title=article.title,
        standfirst=article.standfirst,
        url=base_url() + (article.dated_path() or article.url or "/"),
        section=article.primary_section.title if article.primary_section else "",
        image_url=image_url,
        image_width=width,
        image_height=height,
        image_alt=alt,
    )


def edition_items(edition: Edition) -> list[Item]:
    """The edition's stories in its order, published ones only (an unpublished one drops out)."""
    order = list(edition.items.order_by("sort_order", "pk").values_list("article_id", flat=True))
    found = {article.pk: article for article in published_articles().for_listing().filter(pk__in=order)}
    return [_item(found[pk]) for pk in order if pk in found]


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def edition_context(edition: Edition, *, items: list[Item] | None = None) -> dict[str, object]:
    return {
        "edition": edition,
        "newsletter": edition.newsletter,
        "intro": paragraphs(edition.intro),
        "items": edition_items(edition) if items is None else items,
        "base_url": base_url(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "web_url": base_url() + edition.get_absolute_url() if edition.web_key else "",
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "manage_url": MANAGE_MARK,
    }


@dataclass(frozen=True)
class RenderedEdition:
    edition_id: int
    newsletter: Newsletter
    subject: str
    html: str
    text: str
    item_count: int


def render_edition(edition: Edition) -> RenderedEdition:
    items = edition_items(edition)
    context = edition_context(edition, items=items)
    html = _inliner.inline(render_to_string("newsletters/email/edition.html", context))
    text = render_to_string("newsletters/email/edition.txt", context)
    return RenderedEdition(
        edition_id=edition.pk,
        newsletter=edition.newsletter,
        subject=edition.subject,
        html=html,
        text=text,
        item_count=len(items),
    )


def sender(newsletter: Newsletter) -> str:
    return formataddr((newsletter.sender_name, newsletter.sender_email))


def unsubscribe_url(subscriber: Subscriber, newsletter: Newsletter) -> str:
    token = tokens.unsubscribe_token(subscriber.pk, subscriber.key, newsletter.pk)
    return f"{base_url()}/newsletters/unsubscribe/{token}/"


def manage_url(subscriber: Subscriber) -> str:
    return f"{base_url()}/newsletters/manage/{tokens.manage_token(subscriber.pk, subscriber.key)}/"


def unsubscribe_mailto(newsletter: Newsletter, token_url: str) -> str:
    mailbox = settings.NEWSDESK_NEWSLETTER_UNSUBSCRIBE_MAILTO or newsletter.reply_to or newsletter.sender_email
    return f"mailto:{mailbox}?subject={quote('unsubscribe ' + token_url.rsplit('/', 2)[-2])}"


def message_for(
    rendered: RenderedEdition, subscriber: Subscriber, *, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    newsletter = rendered.newsletter
    unsubscribe = unsubscribe_url(subscriber, newsletter)
    manage = manage_url(subscriber)
    html = rendered.html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
    text = rendered.text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_mailto(newsletter, unsubscribe)}>, <{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{newsletter.name} <{newsletter.slug}.{mail_domain()}>",
        "Message-ID": make_msgid(idstring=f"edition-{rendered.edition_id}", domain=mail_domain()),
    }
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=sender(newsletter),
        to=[subscriber.email],
        reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def test_message(rendered: RenderedEdition, address: str) -> EmailMultiAlternatives:
    """An editor's test copy: the real mail, links pointing at a stand-in subscriber that does not exist."""
    stand_in = Subscriber(pk=0, email=address, key="test-copy")
    message = message_for(rendered, stand_in)
    message.subject = _("[Test] %(subject)s") % {"subject": rendered.subject}
    return message


def confirmation_message(address: str, token: str, newsletters: list[Newsletter]) -> EmailMultiAlternatives:
    context = {
        "confirm_url": f"{base_url()}/newsletters/confirm/{token}/",
        "newsletters": newsletters,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "days": settings.NEWSDESK_NEWSLETTER_CONFIRM_DAYS,
    }
    first = newsletters[0] if newsletters else None
    message = EmailMultiAlternatives(
        subject=_("Please confirm your subscription to %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=sender(first) if first else None,
        to=[address],
        headers={
            "Message-ID": make_msgid(idstring="confirm", domain=mail_domain()),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        _inliner.inline(render_to_string("newsletters/email/confirm.html", context)), "text/html"
    )
    return message


def open_connection() -> BaseEmailBackend:
    """One connection for a batch (EMAIL_BACKEND: SMTP by default, or an anymail backend)."""
    return get_connection(fail_silently=False)
