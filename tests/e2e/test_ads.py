"""Sponsored slots in a real browser: label, rotation, the click through to the advertiser, no layout shift."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk.ads.factories import make_campaign, make_image_creative
from newsdesk.ads.models import AdDailyStats
from newsdesk.ads.services import flush_ad_counts

pytestmark = pytest.mark.django_db(transaction=True)
READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
ALT = "Stadtwerke Musterstadt: switch to green power in five minutes"

# Sums every layout shift not caused by input, after the page has settled.
CLS_SCRIPT = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
    }).observe({ type: "layout-shift", buffered: true });
    setTimeout(() => resolve(total), 1500);
})"""


class Landing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>Advertiser</title><h1>Welcome from the advertiser</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def advertiser():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Landing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def article_with_ads(article_factory, advertiser, tmp_path, counter_spool):
    campaign = make_campaign()
    bottom = make_image_creative(
        campaign, "article-bottom", workdir=tmp_path, alt_text=ALT, target_url=f"{advertiser}/green"
    )
    make_image_creative(campaign, "sidebar", seed=2, workdir=tmp_path, alt_text=ALT, target_url=f"{advertiser}/green")
    for n in range(4):
        article_factory(headline=f"Neighbour {n}", with_image=True)
    return article_factory(headline="Council backs tram line", with_image=True), bottom


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}])
def test_sponsored_slot_shows_is_counted_and_clicks_through(
    browser, live_server, advertiser, article_with_ads, viewport
):
    article, bottom = article_with_ads
    context = browser.new_context(base_url=live_server.url, viewport=viewport, user_agent=READER_UA)
    off_site: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith((live_server.url, advertiser, "data:"))
            else (off_site.append(route.request.url), route.abort())
        ),
    )
    tab = context.new_page()
    tab.goto(article.url)
    slot = tab.locator(".ad-slot--article-bottom")
    slot.scroll_into_view_if_needed()
    assert slot.locator(".ad-slot__label").inner_text().strip().lower() == "sponsored"
    image = slot.get_by_role("img", name=ALT)
    image.wait_for()
    tab.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert tab.evaluate(CLS_SCRIPT) == 0
    # The impression beacon fires once the slot is on screen.
    tab.wait_for_timeout(500)
    slot.get_by_role("link").click()
    tab.wait_for_url(f"{advertiser}/green")
    assert tab.get_by_role("heading").inner_text() == "Welcome from the advertiser"
    context.close()
    assert off_site == []
    flush_ad_counts()
    row = AdDailyStats.objects.get(creative=bottom)
    assert row.clicks == 1
    assert row.impressions >= 1


def test_rotation_respects_the_device_in_the_browser(browser, live_server, article_factory, tmp_path):
    everywhere = make_campaign(name="Everywhere", weight=1)
    desktop_only = make_campaign(name="Desktop only", weight=100, on_phone=False, on_tablet=False)
    make_image_creative(everywhere, "sidebar", workdir=tmp_path, alt_text="Everywhere: a small ad for every screen")
    make_image_creative(
        desktop_only, "sidebar", seed=2, workdir=tmp_path, alt_text="Desktop only: a big screen deal on desks"
    )
    article = article_factory(headline="Council backs tram line")

    def visible_alt(width: int) -> list[str]:
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
        )
        tab = context.new_page()
        tab.goto(article.url)
        tab.wait_for_load_state("load")
        alts = tab.locator(".ad-slot--sidebar [data-ad]:not([hidden]) img").evaluate_all(
            "(imgs) => imgs.map((img) => img.alt)"
        )
        context.close()
        return alts

    # The desktop-only campaign is 100 times heavier, yet a phone never gets it.
    assert visible_alt(375) == ["Everywhere: a small ad for every screen"]
    assert visible_alt(1280) != []
