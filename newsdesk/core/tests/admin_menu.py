"""What the Wagtail admin's sidebar offers a user, for tests of who sees which menu item."""

import json
from typing import Any

from bs4 import BeautifulSoup


def menu_urls(page: BeautifulSoup | Any) -> list[str]:
    """Every address in the sidebar menu of an admin page (a parsed page or a response).

    Wagtail renders the menu as JSON for its sidebar script, so the links are read from that.
    """
    if not isinstance(page, BeautifulSoup):
        page = BeautifulSoup(page.content, "html.parser")
    script = page.select_one("#wagtail-sidebar-props")
    assert script is not None and script.string is not None
    found: list[str] = []
    stack: list[Any] = [json.loads(script.string)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("url"), str):
                found.append(node["url"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found
