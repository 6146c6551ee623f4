import pytest

from newsdesk.articles.models import ArticlePage

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE_ORDER = [
    ".weather",
    ".date-line",
    "h1",
    ".list-block--must-read",
    ".story__body",
    ".ad-slot--article-bottom",
    ".list-block--more-articles",
    "#comments-title",
    ".ad-slot--sidebar",
    ".list-block--latest",
]


@pytest.fixture
def newsroom(article_factory, tmp_path):
    from newsdesk.ads.factories import make_campaign, make_image_creative

    campaign = make_campaign()
    make_image_creative(campaign, "article-bottom", workdir=tmp_path)
    make_image_creative(campaign, "sidebar", seed=2, workdir=tmp_path)
    for n in range(9):
        article_factory(headline=f"Harbour story {n}", section="local", with_image=True)
    return ArticlePage.objects.published().order_by("-first_published_at")[4]


def test_reader_goes_from_home_to_section_to_article(page, newsroom):
    page.goto("/")
    assert page.locator("h1").count() == 1
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Local").click()
    page.wait_for_url("**/local/")
    assert page.locator("h1").inner_text() == "Local"
    page.get_by_role("link", name=newsroom.title).first.click()
    page.wait_for_url(f"**{newsroom.url}")
    assert page.locator("h1").inner_text() == newsroom.title
    # Every part is there, in the reference page's order, in the rendered document.
    in_order = page.evaluate(
        """(selectors) => {
            const nodes = selectors.map((s) => document.querySelector(s));
            if (nodes.some((n) => !n)) return selectors.filter((s, i) => !nodes[i]);
            const follows = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
            return nodes.every((n, i) => i === 0 || follows(nodes[i - 1], n));
        }""",
        REFERENCE_ORDER,
    )
    assert in_order is True
    assert page.get_by_text("Sponsored").count() == 2
    assert page.get_by_role("heading", name="Leave a reply").is_visible()


def test_article_reads_with_javascript_off(browser, live_server, newsroom):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(newsroom.url)
    assert tab.locator("h1").inner_text() == newsroom.title
    assert tab.locator(".story__body p").count() > 3
    context.close()


def test_article_is_keyboard_navigable(page, newsroom):
    page.goto(newsroom.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_phone_layout_has_no_horizontal_scroll(browser, live_server, newsroom):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    tab = context.new_page()
    tab.goto(newsroom.url)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
