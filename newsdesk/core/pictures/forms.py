"""The base of Wagtail's image forms (WAGTAILIMAGES_IMAGE_FORM_BASE).

Wagtail builds its image forms (add, edit, the multiple uploader) from this base with a
field callback that makes the file a WagtailImageField; the base can only swap the field
once the form exists. A field declared on the class would also stay in the multiple
uploader's edit form, which leaves the file out.
"""

from __future__ import annotations

from typing import Any

from wagtail.images.forms import BaseImageForm

from .fields import PictureField


class PictureForm(BaseImageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wagtail_field = self.fields.get("file")
        if wagtail_field is not None:
            self.fields["file"] = PictureField(
                label=wagtail_field.label, required=wagtail_field.required, widget=wagtail_field.widget
            )
