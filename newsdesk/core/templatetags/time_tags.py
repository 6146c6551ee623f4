"""`{{ moment|machine_time }}`: for `<time datetime>` and meta tags (newsdesk/core/moments.py)."""

from django import template

from newsdesk.core import moments

register = template.Library()
register.filter("machine_time", moments.machine_time)
