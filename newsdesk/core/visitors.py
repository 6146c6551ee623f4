"""Who is asking: telling robots from readers for counters (views, ad impressions and clicks)."""

import re

# Crawlers, link previewers, monitors and scripted or headless clients announce themselves here.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|scan|monitor|curl|wget|python|httpx|go-http|java/|libwww|headless"
    r"|lighthouse|pingdom|facebookexternalhit|embedly|whatsapp|bingpreview",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """An empty or self-declared robot user agent is not a reader."""
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))
