"""Who is asking: telling robots from readers for counters (views, ad impressions and clicks)."""

from crawlerdetect import CrawlerDetect

# CrawlerDetect's maintained list (search engines, AI crawlers, link previewers, monitors,
# HTTP libraries, headless browsers) instead of a hand-kept pattern that falls behind.
# One shared detector keeps its per-instance cache of recent answers warm across requests;
# sharing it between threads is safe for the answer itself (only its `matches` attribute,
# which nothing here reads, is last-writer-wins).
_DETECTOR = CrawlerDetect()


def is_bot(user_agent: str) -> bool:
    """An empty or self-declared robot user agent is not a reader."""
    # CrawlerDetect calls an empty agent "not a crawler"; a browser always sends one, so here it is a robot.
    return not user_agent.strip() or _DETECTOR.is_crawler(user_agent)
