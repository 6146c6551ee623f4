"""`{% corrections_policy_url as policy %}`: the corrections policy's address for the request's site ("" if unset)."""

from django import template
from wagtail.models import Site

from newsdesk.articles.corrections import policy_url

register = template.Library()


@register.simple_tag(takes_context=True)
def corrections_policy_url(context: template.Context) -> str:
    request = context.get("request")
    return policy_url(Site.find_for_request(request) if request is not None else None)
