"""The storage every Wagtail rendition is written through (WAGTAILIMAGES_RENDITION_STORAGE).

Wagtail writes a rendition with the metadata of its original: Willow passes the EXIF
block (GPS position, serial numbers) on to JPEG and PNG renditions, and Pillow copies a
JPEG comment. Cleaning the bytes where they are stored covers every rendition, whatever
filter, format or code path made it (the template tag, the admin, ``get_renditions``'s
bulk path), without a custom image model.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

from .metadata import strip_metadata


class MetadataStrippingMixin:
    """Put before a Django storage class: files are saved without picture metadata.

    A format ``strip_metadata`` does not know is refused (MetadataStripError), not written
    as it is; WAGTAILIMAGES_FORMAT_CONVERSIONS keeps renditions to JPEG, PNG and WebP.
    """

    def _save(self, name: str, content: File[Any]) -> str:
        content.seek(0)
        cleaned = ContentFile(strip_metadata(content.read()), name=name)
        return super()._save(name, cleaned)  # type: ignore[misc]


class RenditionStorage(MetadataStrippingMixin, FileSystemStorage):
    """MEDIA_ROOT on the local disk, as STORAGES["default"]; for object storage, combine
    MetadataStrippingMixin with that backend's storage class the same way."""
