"""`make lighthouse`: Lighthouse's four scores for the article, home and section pages.

A measurement, not a test: the production server exactly as `make bench` starts it
(scripts/bench.py: gunicorn, production settings, WhiteNoise, the demo data), then
Lighthouse 12.2.3 from this checkout's node_modules (`npm ci`, package-lock.json)
driving Debian's Chromium with its default mobile emulation and simulated throttling.
Prints `lighthouse_<page>_<category>=<score>` (0-100) and the machine's benchmark index
during each run; each full report is saved as var/bench/lighthouse-<page>.json.
LIGHTHOUSE_CPU_SLOWDOWN sets Lighthouse's CPU slowdown (default 4, meant for a fast desktop).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

# The demo's editorial notifications go nowhere: no mail server is running here.
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")

# bench.py sets production settings and its own database, media and page cache on import.
import bench

ROOT = bench.ROOT
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Headless, as root in a container, and never a call to Google's services (the network refuses them).
CHROME_FLAGS = " ".join(
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
)


def pages() -> dict[str, str]:
    """Paths to measure: the article bench.py measures, the home page and that article's section."""
    from newsdesk.articles.models import ArticlePage

    article = ArticlePage.objects.published().order_by("-first_published_at")[5]
    section = article.primary_section
    assert section is not None, "the demo article has no section"
    return {"article": str(article.url), "home": "/", "section": str(section.url)}


def measure(name: str, path: str) -> dict[str, int]:
    output = bench.OUT / f"lighthouse-{name}.json"
    command = [
        str(LIGHTHOUSE),
        f"http://127.0.0.1:{bench.PORT}{path}",
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if os.environ.get("LIGHTHOUSE_CPU_SLOWDOWN"):
        command.append(f"--throttling.cpuSlowdownMultiplier={float(os.environ['LIGHTHOUSE_CPU_SLOWDOWN'])}")
    # Lighthouse now and then loses the trace of a page load on a busy machine (NO_NAVSTART,
    # NO_FCP): such a run has no scores at all, so it is run again, at most twice.
    for _attempt in range(3):
        output.unlink(missing_ok=True)
        run = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300, check=False)  # noqa: S603
        report = json.loads(output.read_text()) if output.exists() else {"runtimeError": {"code": run.returncode}}
        if not report.get("runtimeError"):
            break
    else:
        raise SystemExit(f"Lighthouse failed on {path}: {report['runtimeError']}")
    scores = {}
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        scores[category] = -1 if score is None else round(score * 100)
    return scores


def below_full(report_path: Path) -> list[str]:
    """The scored audits that cost points, for a quick look without opening the report."""
    report = json.loads(report_path.read_text())
    lost = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{category['id']}: {ref['id']} ({audit['score']}) {audit.get('displayValue', '')}".strip())
    return lost


def start_server() -> subprocess.Popen[bytes]:
    """bench.py's gunicorn, with scripts/lighthouse_wsgi.py standing in for nginx's /media/images/."""
    log = open(bench.OUT / "lighthouse-gunicorn.log", "wb")  # noqa: SIM115 - lives as long as the server
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        *("-c", str(ROOT / "deploy" / "gunicorn.conf.py")),
        *("--bind", f"127.0.0.1:{bench.PORT}"),
        *("--pythonpath", str(ROOT / "scripts")),
        "lighthouse_wsgi:application",
    ]
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, cwd=ROOT, env={**os.environ, **bench.ENV}, stdout=log, stderr=log, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if bench.get("/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    bench.stop_server(server)
    raise SystemExit("gunicorn did not start: see var/bench/lighthouse-gunicorn.log")


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci` in the checkout (make lighthouse does)")
    bench.OUT.mkdir(parents=True, exist_ok=True)
    bench.prepare()
    targets = pages()
    server = start_server()
    try:
        for path in targets.values():
            bench.get(path)  # a first render, so the page cache answers as it would for readers
        results = {name: measure(name, path) for name, path in targets.items()}
    finally:
        bench.stop_server(server)
    for name, path in targets.items():
        print(f"{name} {path}")
        for line in below_full(bench.OUT / f"lighthouse-{name}.json"):
            print(f"  {line}")
    for name, scores in results.items():
        for category, score in scores.items():
            print(f"lighthouse_{name}_{category.replace('-', '_')}={score}")
    # How fast this machine was while measuring: Lighthouse's own CPU benchmark (a high-end
    # desktop scores 1500-2000). Its 4x CPU slowdown makes a busy or small machine's total
    # blocking time look worse than a phone's (Lighthouse's docs/throttling.md).
    for name in targets:
        report = json.loads((bench.OUT / f"lighthouse-{name}.json").read_text())
        print(f"lighthouse_{name}_benchmark_index={round(report['environment']['benchmarkIndex'])}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
