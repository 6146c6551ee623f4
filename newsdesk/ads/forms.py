"""The creative's admin form: Wagtail's, plus the Admins' allow-list of link hosts."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .hosts import decoded_host, host_allowed
from .selectors import allowed_click_hosts


class CreativeForm(WagtailAdminModelForm):
    def _post_clean(self) -> None:
        # After the model's own checks, which would otherwise also call a refused (so
        # removed) address missing: "An image ad needs the address a click goes to."
        super()._post_clean()
        url = self.cleaned_data.get("target_url")
        if url and not host_allowed(url, allowed_click_hosts()):
            error = ValidationError(
                _(
                    "Ads may not link to %(host)s: it is not on the list of allowed hosts. "
                    "Admins keep that list in Settings → Ads."
                )
                % {"host": decoded_host(urlsplit(url).hostname or "")},
                code="host_not_allowed",
            )
            self.add_error("target_url", error)
