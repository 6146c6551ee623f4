"""`{% isolated "name" %}…{% endisolated %}`: render a page's block on its own, nothing if it fails.

See newsdesk/pages/isolation.py. The block renders into a string first, so a failure
part way leaves no half of it in the page.
"""

from django import template
from django.template.base import NodeList, Parser, Token
from django.utils.safestring import SafeString

from ..isolation import isolated

register = template.Library()


class IsolatedNode(template.Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        # Tags inside push and pop the context themselves, even when they raise.
        return isolated(self.name, lambda: self.nodelist.render(context), default=SafeString(""))


@register.tag("isolated")
def isolated_tag(parser: Parser, token: Token) -> IsolatedNode:
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("'isolated' takes one quoted block name, for the log")
    nodelist = parser.parse(("endisolated",))
    parser.delete_first_token()
    return IsolatedNode(bits[1][1:-1], nodelist)
