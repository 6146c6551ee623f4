"""The upload field for pictures: Wagtail's checks, plus a full decode and a frame bound.

Wagtail's own field reads the picture's size by decoding it and lets a decoder error
through, so a truncated JPEG answered 500; and with Pillow it counts one frame for any
GIF, so a many-frame animation passed its pixel limit. Here the header is read first, the
declared pixels of every frame are counted against the limit *before* that frame is
decoded (so a small file that declares a huge picture costs nothing), and then every
frame is decoded in full.
"""

from __future__ import annotations

import warnings
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageSequence
from wagtail.images.fields import WagtailImageField

# Pillow warns above its MAX_IMAGE_PIXELS and raises above twice that.
_BOMBS = (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError)


class PictureField(WagtailImageField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_frames: int = settings.NEWSDESK_PICTURE_MAX_FRAMES
        self.error_messages["undecodable"] = _(
            "This picture is damaged or incomplete and cannot be read. "
            "Export or download it again and upload the new file."
        )
        self.error_messages["too_many_frames"] = _(
            "This animation has more than %(max_frames)s frames. Upload a still picture or a shorter animation."
        )

    def check_image_pixel_size(self, f: Any) -> None:
        """Replaces Wagtail's check: pixels of all frames bounded, every frame decoded."""
        source = f.image.f
        source.seek(0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(source) as picture:
                    self._check_frames(picture)
        except ValidationError:
            raise
        except _BOMBS:
            raise self._too_many_pixels(_("unknown number")) from None
        except Exception as error:
            # A decoder fed a hostile file raises any type: OSError, SyntaxError, struct.error…
            raise ValidationError(self.error_messages["undecodable"], code="undecodable") from error
        finally:
            source.seek(0)

    def _check_frames(self, picture: PILImage.Image) -> None:
        width, height = picture.size
        for count, frame in enumerate(ImageSequence.Iterator(picture), start=1):
            if count > self.max_frames:
                raise ValidationError(
                    self.error_messages["too_many_frames"] % {"max_frames": self.max_frames}, code="too_many_frames"
                )
            if self.max_image_pixels is not None and width * height * count > self.max_image_pixels:
                raise self._too_many_pixels(width * height * count)
            frame.load()

    def _too_many_pixels(self, num_pixels: object) -> ValidationError:
        return ValidationError(
            self.error_messages["file_too_many_pixels"]
            % {"num_pixels": num_pixels, "max_pixels_count": self.max_image_pixels},
            code="file_too_many_pixels",
        )
