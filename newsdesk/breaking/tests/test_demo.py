import io

from newsdesk.breaking.demo import add_demo_breaking_banner
from newsdesk.breaking.models import BreakingBanner
from newsdesk.breaking.selectors import current_banner


def test_the_demo_banner_is_on_and_set_once(article_factory):
    story = article_factory(headline="Harbour bridge closed")
    add_demo_breaking_banner(io.StringIO(), link_page=story)
    add_demo_breaking_banner(io.StringIO(), link_page=story)
    assert BreakingBanner.objects.count() == 1
    shown = current_banner()
    assert shown is not None
    assert shown.url == story.url
