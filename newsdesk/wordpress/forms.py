"""The admin's upload form for a WordPress export."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ExportUploadForm(forms.Form):
    export = forms.FileField(
        label=gettext_lazy("WordPress export (.xml)"),
        help_text=gettext_lazy(
            "The file WordPress writes under Tools → Export → All content. It is checked first; "
            "nothing is imported until you start the import."
        ),
        # An export is XML, not an image or document: keep the browser's picker to .xml files.
        widget=forms.FileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    fetch_media = forms.BooleanField(
        label=gettext_lazy("Fetch pictures from the old site"),
        help_text=gettext_lazy(
            "Download each picture the export names from the old WordPress site during the import (the check "
            "lists them as not fetched yet). Leave it unticked if the old site is gone: the report then lists "
            "the pictures that are missing."
        ),
        required=False,
    )

    def clean_export(self) -> UploadedFile:
        # FileField has already refused a missing or empty file ("The submitted file is empty.").
        export: UploadedFile = self.cleaned_data["export"]
        if not (export.name or "").lower().endswith(".xml"):
            raise forms.ValidationError(_("Upload the .xml file WordPress exported (Tools → Export)."), code="not_xml")
        limit, size = settings.NEWSDESK_WORDPRESS_MAX_UPLOAD_BYTES, export.size or 0
        if size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the largest export accepted is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
                code="too_big",
            )
        return export
