"""Corrections and clarifications: adding one to a live article, an Admin's later edit, and what readers may see.

A correction is published on its own, not as a revision of the article: the story
is not republished by hand, and nothing in the article's text changes. What shows
the article changes all the same, so each write starts a new ARTICLES generation
(the kept parts of article pages are rendered again: the "Updated" line, the
corrections, the JSON-LD) and purges the article's pages and /corrections/.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import LogActionRegistry, log
from wagtail.models import Site

from newsdesk.core import fragments, page_cache
from newsdesk.core.roles import ADMINS
from newsdesk.core.text import xml_chars

from . import events
from .models import CORRECTION_TEXT_MAX, ArticlePage, Correction, CorrectionEdit, CorrectionsSettings
from .purges import purge_article

if TYPE_CHECKING:
    from django.db.models import Subquery as SubqueryType

CORRECTIONS_PATHS = frozenset({"/corrections/", "/corrections/feed/"})
# In the article's own History in the admin too, beside its revisions: the newsroom's
# audit trail lists every change readers saw, corrections included.
ADD_ACTION = "newsdesk.correction_add"
EDIT_ACTION = "newsdesk.correction_edit"


def register_log_actions(registry: LogActionRegistry) -> None:
    registry.register_action(ADD_ACTION, _("Add correction"), _("Correction published"))
    registry.register_action(EDIT_ACTION, _("Change correction"), _("Published correction changed by an Admin"))


def is_admin(user: User | AnonymousUser) -> bool:
    """Superusers and the Admins group: the only people who may change a published correction."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=ADMINS).exists()


def clean_text(text: str) -> str:
    """The text as readers will see it: no characters XML refuses (it goes into feeds), trimmed, capped.

    It stays plain text, escaped wherever it is shown; markup typed into it is shown as typed.
    """
    cleaned = xml_chars(text).strip()
    if not cleaned:
        raise ValidationError(_("Write what was corrected."), code="empty")
    if len(cleaned) > CORRECTION_TEXT_MAX:
        raise ValidationError(_("Keep it under %(max)d characters.") % {"max": CORRECTION_TEXT_MAX}, code="too_long")
    return cleaned


def correction_add(
    *,
    article: ArticlePage,
    kind: str,
    text: str,
    significant: bool,
    user: User | None,
    at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> Correction:
    """Publish a correction or clarification on a live article, dated `at` (an editor's time) or now.

    An editor may date it earlier (the error was corrected on air or in print at that time),
    never in the future and never before the article first appeared.
    """
    if not article.live:
        raise ValidationError(_("Only a published article can be corrected."), code="not_live")
    if kind not in Correction.Kind.values:
        raise ValidationError(_("Choose correction or clarification."), code="kind")
    now = now or timezone.now()
    if at is not None and at > now:
        raise ValidationError(_("A correction cannot be dated in the future."), code="at")
    if at is not None and article.first_published_at and at < article.first_published_at:
        raise ValidationError(_("A correction cannot be dated before the article was published."), code="at")
    correction = Correction.objects.create(
        article=article,
        kind=kind,
        text=clean_text(text),
        significant=significant,
        # Whole seconds: pages show it in <time datetime>, which takes at most three fraction digits.
        published_at=(at or now).replace(microsecond=0),
        created_by=user,
    )
    log(instance=article, action=ADD_ACTION, user=user, data={"correction": correction.pk, "kind": kind})
    _shown_anew(article, removed=False)
    transaction.on_commit(lambda: events.correction_added.send(sender=Correction, correction=correction), robust=True)
    return correction


def correction_edit(
    *,
    correction: Correction,
    kind: str,
    text: str,
    significant: bool,
    user: User | AnonymousUser,
    now: datetime.datetime | None = None,
) -> Correction:
    """An Admin's change to a published correction; the text it replaces is kept (CorrectionEdit)."""
    if not is_admin(user):
        raise PermissionDenied("Only Admins change a published correction.")
    if kind not in Correction.Kind.values:
        raise ValidationError(_("Choose correction or clarification."), code="kind")
    cleaned = clean_text(text)
    editor = user if isinstance(user, User) else None
    with transaction.atomic():
        edit = CorrectionEdit.objects.create(
            correction=correction,
            previous_text=correction.text,
            previous_kind=correction.kind,
            previous_significant=correction.significant,
            edited_by=editor,
            edited_at=now or timezone.now(),
        )
        correction.kind, correction.text, correction.significant = kind, cleaned, significant
        correction.save(update_fields=["kind", "text", "significant"])
        data = {"correction": correction.pk, "previous_text": edit.previous_text}
        log(instance=correction.article, action=EDIT_ACTION, user=editor, data=data)
    # Hard: the replaced wording must not be served again, not even as a stale copy.
    _shown_anew(correction.article, removed=True)
    return correction


def _shown_anew(article: ArticlePage, *, removed: bool) -> None:
    fragments.bump(fragments.ARTICLES)
    purge_article(article, hard=removed or None)
    page_cache.purge_paths(CORRECTIONS_PATHS, hard=removed)


# --- Reads --------------------------------------------------------------------


def latest_correction_at() -> SubqueryType:
    """An annotation: when an article's newest correction was published (NULL for none)."""
    newest = Correction.objects.filter(article=OuterRef("pk")).order_by("-published_at")
    return Subquery(newest.values("published_at")[:1])


def public_corrections() -> QuerySet[Correction]:
    """Every correction readers may see, newest first: only on published, public articles (never a draft's)."""
    return (
        Correction.objects.filter(article__in=ArticlePage.objects.published().values("pk"))
        .select_related("article")
        .order_by("-published_at", "-pk")
    )


def policy_url(site: Site | None) -> str:
    """The corrections policy's address for this site, or "" when none is set."""
    if site is None:
        return ""
    found = CorrectionsSettings.for_site(site)
    if found.policy_page_id is not None:
        page = found.policy_page
        if page is not None and page.live:
            return page.get_url() or ""
    return found.policy_url
