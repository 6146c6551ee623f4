"""The reader pages against the W3C Nu Html Checker and axe-core, on the demo newsroom.

Both tools come from the npm registry into this checkout's node_modules (package.json,
package-lock.json; `make e2e` runs `npm ci` when they are missing or stale): vnu.jar runs on
the Java installed on the machine, once over every page's served HTML; axe-core is injected
into each page in Chromium through Playwright.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Site

from newsdesk.articles.models import ArticlePage
from newsdesk.live.models import LiveCoverage
from newsdesk.weather.services import weather_refresh
from newsdesk.weather.tests.fakes import fake_open_meteo  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
# A phone (what Lighthouse emulates) and a desktop: the sidebar and the header's layout differ.
VIEWPORTS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}


def _needs(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm ci` in the checkout (make e2e does)")
    return path


@pytest.fixture
def demo_pages(fake_open_meteo) -> dict[str, str]:  # noqa: F811 - the fixture imported above
    """The demo newsroom, with its weather in the top bar; the paths of the pages checked."""
    call_command("demo_newsroom", verbosity=0)
    assert weather_refresh(site=Site.objects.get(is_default_site=True)) is not None
    # As scripts/bench.py and scripts/lighthouse.py: an article with comments, a correction,
    # both sponsored slots and every list around it.
    article = ArticlePage.objects.published().order_by("-first_published_at")[5]
    assert article.primary_section is not None
    live = LiveCoverage.objects.select_related("article").first()
    assert live is not None, "the demo newsroom has no live coverage"
    return {
        "article": article.url,
        "home": "/",
        "section": article.primary_section.url,
        "live": live.article.url,
        "corrections": "/corrections/",
        "newsletters": "/newsletters/",
    }


@pytest.fixture
def tab(browser, live_server) -> Iterator:
    # axe is injected as an inline script, which the site's Content-Security-Policy rightly
    # refuses; bypassing it here changes nothing else about the page.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def nu_checker_errors(tab, pages: dict[str, str], workdir: Path) -> list[str]:
    """vnu.jar's errors on each page's HTML as served: one JVM for every page (it starts in
    seconds and checks a page in a fraction of one)."""
    jar = _needs(VNU_JAR)
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: apt-get install default-jre-headless")
    files = {}
    for name, path in pages.items():
        answer = tab.request.get(path)
        assert answer.status == 200, (path, answer.status)
        assert answer.headers["content-type"].startswith("text/html")
        files[name] = workdir / f"{name}.html"
        files[name].write_bytes(answer.body())
    run = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files.values())],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    messages = json.loads(run.stderr)["messages"]
    by_file = {path.name: name for name, path in files.items()}
    # Every message names one of our files: the checker read them all, and nothing else.
    assert {Path(m.get("url", "")).name for m in messages} <= set(by_file), messages
    return [
        f"{by_file[Path(m['url']).name]} {pages[by_file[Path(m['url']).name]]}:{m.get('lastLine')}: "
        f"{m['message']} [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def axe_violations(tab, pages: dict[str, str]) -> list[str]:
    """axe-core's default rules (WCAG 2.x A and AA, and its best practices: landmarks,
    regions), on a phone (what Lighthouse emulates) and on a desktop."""
    script = _needs(AXE).read_text()
    found = []
    for viewport, size in VIEWPORTS.items():
        tab.set_viewport_size(size)
        for name, path in pages.items():
            tab.goto(path)
            tab.add_script_tag(content=script)
            result = tab.evaluate("async () => await axe.run(document)")
            assert result["passes"], f"axe ran no check on {path}"
            for violation in result["violations"]:
                targets = [" ".join(node["target"]) for node in violation["nodes"]]
                found.append(
                    f"{name} {path} ({viewport}): {violation['id']} ({violation['impact']}) "
                    f"{violation['help']}: {targets}"
                )
    return found


def test_reader_pages_pass_the_nu_html_checker_and_axe(tab, demo_pages, tmp_path):
    # One test, so the demo newsroom (the costly part) is built once for both tools.
    errors = nu_checker_errors(tab, demo_pages, tmp_path)
    violations = axe_violations(tab, demo_pages)
    assert (errors, violations) == ([], []), "\n".join(["Nu Html Checker:", *errors, "axe-core:", *violations])
