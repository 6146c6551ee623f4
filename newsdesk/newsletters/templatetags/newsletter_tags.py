"""`{% newsletter_signup %}`: the sign-up form any page can show; `|cadence`: when a newsletter comes."""

from __future__ import annotations

import datetime
import secrets
from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsdesk.newsletters import signup_block
from newsdesk.newsletters.forms import local_path, signup_context, started_token
from newsdesk.newsletters.models import Newsletter

register = template.Library()


@register.simple_tag
def newsletter_signup(source: str = "", heading: str = "", checked: int | None = None) -> SafeString:
    """The sign-up form, or nothing when no newsletter is public.

    No query on a normal render (the list of newsletters is cached, signup_block.py), so
    cached and uncached article pages cost the same. The "form opened" stamp is the
    render's: on a cached page it is as old as the copy, which only ever makes it pass
    the minimum fill time; the form's script asks /newsletters/signup/start/ for a fresh
    one when a reader starts filling it in, so the check stays real for them.
    """
    choices = signup_block.choices()
    if not choices:
        return mark_safe("")
    offered = tuple(tuple(sorted(choice.items())) for choice in choices)
    html = _form_html(offered, heading, checked, get_language())
    # Escaped as the template escapes them: both are plain text in attribute values.
    html = html.replace(_STARTED, escape(started_token())).replace(_SOURCE, escape(local_path(source)))
    return mark_safe(html)  # noqa: S308 - rendered by our template, the two values escaped


# Every page render shows the same form but for two values, the reader's page and the
# time stamp: the markup is rendered once per process for each list of newsletters,
# heading, checked box and language, with these stand-ins put in for the two values
# (random, so no editor's text can hold one).
_STARTED = f"signup-started-{secrets.token_hex(8)}"
_SOURCE = f"signup-source-{secrets.token_hex(8)}"


@lru_cache(maxsize=64)
def _form_html(
    offered: tuple[tuple[tuple[str, object], ...], ...], heading: str, checked: int | None, language: str | None
) -> str:
    choices = [signup_block.Choice(**dict(choice)) for choice in offered]  # type: ignore[typeddict-item]
    signup = signup_context(choices, source="", checked=[checked] if checked else [])
    return render_to_string(
        "newsletters/includes/signup_form.html",
        {"signup": {**signup, "started": _STARTED, "source": _SOURCE}, "heading": heading},
    )


@register.filter
def cadence(newsletter: Newsletter) -> str:
    """ "Every day at 07:00", "Every Monday at 07:00", "When news breaks", "From time to time"."""
    # A newsletter just made still holds the field's default as given, the text "07:00".
    send_time = newsletter.send_time
    at = send_time.strftime("%H:%M") if isinstance(send_time, datetime.time) else str(send_time)[:5]
    if newsletter.cadence == Newsletter.Cadence.DAILY:
        return _("Every day at %(time)s") % {"time": at}
    if newsletter.cadence == Newsletter.Cadence.WEEKLY:
        day = Newsletter.Weekday(newsletter.weekday).label
        return _("Every %(day)s at %(time)s") % {"day": day, "time": at}
    if newsletter.cadence == Newsletter.Cadence.ON_PUBLISH:
        return _("When news breaks")
    return _("From time to time")
