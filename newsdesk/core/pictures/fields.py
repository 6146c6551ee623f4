"""Which uploaded pictures are refused: Wagtail's checks, plus a full decode and a frame bound.

Wagtail's own field reads the picture's size by decoding it and lets a decoder error
through, so a truncated JPEG answered 500; and with Pillow it counts one frame for any
GIF, so a many-frame animation passed its pixel limit. Here the header is read first, the
declared pixels of every frame are counted against the limit *before* that frame is
decoded (so a small file that declares a huge picture costs nothing), and then every
frame is decoded in full.
"""

from __future__ import annotations

import warnings
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageSequence
from wagtail.images.fields import WagtailImageField

# Pillow warns above its MAX_IMAGE_PIXELS and raises above twice that.
_BOMBS = (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError)

UNDECODABLE = _(
    "This picture is damaged or incomplete and cannot be read. Export or download it again and upload the new file."
)
TOO_MANY_FRAMES = _(
    "This animation has more than %(max_frames)s frames. Upload a still picture or a shorter animation."
)
# Wagtail's wording (wagtail/images/fields.py), so its translations apply.
TOO_MANY_PIXELS = _("This file has too many pixels (%(num_pixels)s). Maximum pixels %(max_pixels_count)s.")


def picture_check(source: IO[bytes]) -> None:
    """Raise ValidationError unless Pillow decodes every frame of ``source`` in full, within
    WAGTAILIMAGES_MAX_IMAGE_PIXELS (all frames together) and NEWSDESK_PICTURE_MAX_FRAMES.

    For any way a picture comes in (the admin's forms, an import); ``source`` is read from
    its start and left at its start.
    """
    max_pixels: int | None = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    source.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(source) as picture:
                _check_frames(picture, max_pixels=max_pixels, max_frames=settings.NEWSDESK_PICTURE_MAX_FRAMES)
    except ValidationError:
        raise
    except _BOMBS:
        raise _too_many_pixels(_("unknown number"), max_pixels) from None
    except Exception as error:
        # A decoder fed a hostile file raises any type: OSError, SyntaxError, struct.error…
        raise ValidationError(UNDECODABLE, code="undecodable") from error
    finally:
        source.seek(0)


def _check_frames(picture: PILImage.Image, *, max_pixels: int | None, max_frames: int) -> None:
    width, height = picture.size
    for count, frame in enumerate(ImageSequence.Iterator(picture), start=1):
        if count > max_frames:
            raise ValidationError(TOO_MANY_FRAMES % {"max_frames": max_frames}, code="too_many_frames")
        if max_pixels is not None and width * height * count > max_pixels:
            raise _too_many_pixels(width * height * count, max_pixels)
        frame.load()


def _too_many_pixels(num_pixels: object, max_pixels: int | None) -> ValidationError:
    return ValidationError(
        TOO_MANY_PIXELS % {"num_pixels": num_pixels, "max_pixels_count": max_pixels}, code="file_too_many_pixels"
    )


class PictureField(WagtailImageField):
    def check_image_pixel_size(self, f: Any) -> None:
        """Replaces Wagtail's check, which decodes before it catches decoder errors."""
        picture_check(f.image.f)
