"""`{% cachedpart key part... %}…{% endcachedpart %}`: a template fragment cached under the given parts.

Like Django's `{% cache %}`, with two differences that matter for article pages:
the key is exactly the parts given (callers include a generation from
newsdesk.core.fragments, so nothing else has to be deleted), and an empty first
part renders the fragment without the cache. Previews pass an empty key: a draft
must never be stored where the published page would read it.
"""

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from newsdesk.core.fragments import kept

register = template.Library()

LIFETIME_SECONDS = 60 * 60


class CachedPartNode(template.Node):
    def __init__(self, nodelist: NodeList, parts: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context: template.Context) -> SafeString:
        values: list[Any] = [part.resolve(context) for part in self.parts]
        if not values[0]:
            return self.nodelist.render(context)
        key = "part:" + ":".join(str(value) for value in values)
        found = kept().get(key)
        if found is None:
            found = self.nodelist.render(context)
            kept().set(key, str(found), LIFETIME_SECONDS)
        # Rendered by this template, so already escaped.
        return mark_safe(found)  # noqa: S308


@register.tag("cachedpart")
def cachedpart(parser: Parser, token: Token) -> CachedPartNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'cachedpart' needs at least one key part")
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    return CachedPartNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
