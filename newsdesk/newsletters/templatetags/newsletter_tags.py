"""`{% newsletter_signup %}`: the sign-up form any page can show; `|cadence`: when a newsletter comes."""

from __future__ import annotations

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from newsdesk.newsletters import signup_block
from newsdesk.newsletters.forms import signup_context
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
    context = {
        "signup": signup_context(choices, source=source, checked=[checked] if checked else []),
        "heading": heading,
    }
    return render_to_string("newsletters/includes/signup_form.html", context)


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
