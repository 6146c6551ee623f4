"""An editor at work on the server's own database: one JSON command per line on stdin, one JSON answer per line.

Run by the proxy tests as `python -m tests.proxies.editor` with the server's settings and
environment, so publishing goes through the same services, signals and purges (the app's
page cache, then Wagtail's frontend-cache job) as an editor's click in the admin. One
long-lived process: Django starts once for the whole module, not once per edit.
"""

import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django


def newsroom(*, hostname: str, port: int) -> dict[str, Any]:
    from newsdesk.articles.factories import newsroom_with_sections

    newsroom_with_sections(hostname=hostname, port=port)
    return {}


def article(*, headline: str) -> dict[str, Any]:
    from django.conf import settings
    from django.utils import timezone

    from newsdesk.articles.factories import create_article, make_image

    # Beside the server's media folder: the test's own temporary folder.
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=Path(settings.MEDIA_ROOT).parent))
    picture = make_image(folder / "lead.jpg", seed=3, colour=(40, 90, 160), size=(640, 360))
    # Dated now, so each new article tops its section's first page, as a fresh story does.
    page = create_article(
        base_dir=folder,
        headline=headline,
        published_at=timezone.now(),
        image={"path": picture.name, "caption": "A picture", "credit": "Tests"},
    )
    assert page.lead_image is not None
    return {"id": page.pk, "path": page.dated_path(), "original": f"/media/{page.lead_image.file.name}"}


def unpublish(*, id: int) -> dict[str, Any]:
    from newsdesk.articles.models import ArticlePage

    ArticlePage.objects.get(pk=id).unpublish()
    return {}


def publish(*, id: int, headline: str) -> dict[str, Any]:
    from newsdesk.articles.models import ArticlePage

    page = ArticlePage.objects.get(pk=id)
    page.title = headline
    revision = page.save_revision()
    revision.publish()
    return {}


Command = Callable[..., dict[str, Any]]
COMMANDS: dict[str, Command] = {"newsroom": newsroom, "article": article, "unpublish": unpublish, "publish": publish}


def main() -> None:
    django.setup()
    for line in sys.stdin:
        command = json.loads(line)
        answer = COMMANDS[command.pop("do")](**command)
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
