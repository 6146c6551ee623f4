"""Development only: serve renditions from MEDIA_ROOT, never the originals beside them.

Originals (``original_images/``) keep whatever metadata they were uploaded with, for the
archive; readers only ever get renditions (``images/``), which are written without it.
Production serves ``images/`` from the web server the same way (docs/deploy.md, "Pictures").
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.urls import URLPattern

# Where Wagtail writes renditions (AbstractRendition.get_upload_to, wagtail/images/models.py).
RENDITIONS_DIR = "images"


def rendition_media_urls() -> list[URLPattern]:
    """The pattern serving MEDIA_URL + "images/"; none unless DEBUG, like static()."""
    return static(f"{settings.MEDIA_URL}{RENDITIONS_DIR}/", document_root=Path(settings.MEDIA_ROOT) / RENDITIONS_DIR)
