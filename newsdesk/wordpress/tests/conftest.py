"""Fixtures for the WordPress import: an export written by the builder, and the import run on it."""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage

from newsdesk.wordpress.report import Report
from newsdesk.wordpress.services import Options, import_export

from .wxr import write_wxr

Run = Callable[..., Report]


def jpeg_bytes(colour: tuple[int, int, int] = (200, 40, 40), size: tuple[int, int] = (64, 48)) -> bytes:
    out = BytesIO()
    PILImage.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    """A copied wp-content/uploads folder holding 2024/03/bridge.jpg."""
    folder = tmp_path / "uploads"
    (folder / "2024" / "03").mkdir(parents=True)
    (folder / "2024" / "03" / "bridge.jpg").write_bytes(jpeg_bytes())
    return folder


@pytest.fixture
def wordpress(sections: Any, tmp_path: Path) -> Run:
    """`wordpress(items=[...], categories=[...], ..., uploads=None, dry_run=False)`: write an export, import it."""

    def run(*, uploads: Path | None = None, dry_run: bool = False, fetch_media: bool = False, **export: Any) -> Report:
        path = write_wxr(tmp_path / "export.xml", **export)
        return import_export(path, options=Options(uploads=uploads, dry_run=dry_run, fetch_media=fetch_media))

    return run
