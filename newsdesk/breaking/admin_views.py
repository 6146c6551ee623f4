"""Breaking-news banners in the admin, for Editors and Admins: the list, "Set a banner", and "End now".

Wagtail's ModelViewSet gives the list and the forms, and checks the model's permissions
(`breaking.add_breakingbanner`, `change_breakingbanner`, `view_breakingbanner`; core/roles.py grants them
to Editors). Saving goes through services.banner_save, which refreshes every page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from .forms import BannerForm
from .models import BreakingBanner
from .services import banner_delete, banner_end, banner_save

END_PERMISSION = "breaking.change_breakingbanner"


class BannerIndexView(generic.IndexView):
    page_title = gettext_lazy("Breaking news")
    add_item_label = gettext_lazy("Set a banner")

    def get_list_more_buttons(self, instance: BreakingBanner) -> list[Any]:
        buttons = super().get_list_more_buttons(instance)
        showing = instance.ended_at is None and instance.expires_at > timezone.now()
        if showing and self.request.user.has_perm(END_PERMISSION):
            buttons.append(
                Button(_("End now"), url=reverse("breaking_banners:end", args=[instance.pk]), icon_name="cross")
            )
        return buttons


class BannerCreateView(generic.CreateView):
    page_title = gettext_lazy("Set a banner")

    def save_instance(self) -> BreakingBanner:
        return banner_save(banner=self.form.instance, by=self.request.user)


class BannerEditView(generic.EditView):
    def save_instance(self) -> BreakingBanner:
        return banner_save(banner=self.form.instance, by=self.request.user)


class BannerDeleteView(generic.DeleteView):
    def delete_action(self) -> None:
        # Not Wagtail's delete action: the pages that show the banner must be refreshed too.
        banner_delete(banner=self.object)


def banner_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm (GET), then end the banner at once (POST): it leaves every page within seconds."""
    if not request.user.has_perm(END_PERMISSION):
        raise PermissionDenied
    banner = get_object_or_404(BreakingBanner, pk=pk)
    if request.method != "POST":
        return TemplateResponse(request, "breaking/admin/end.html", {"banner": banner})
    if banner_end(banner=banner):
        messages.success(request, _("The banner “%(text)s” has ended.") % {"text": banner.text})
    else:
        messages.warning(request, _("The banner “%(text)s” was no longer showing.") % {"text": banner.text})
    return HttpResponseRedirect(reverse("breaking_banners:index"))


class BannerViewSet(ModelViewSet):
    model = BreakingBanner
    name = "breaking_banners"
    url_prefix = "breaking-news"
    icon = "warning"
    menu_label = gettext_lazy("Breaking news")
    menu_name = "breaking-news"
    # First of the desk's tools (Comments 220, Wires and feeds 230): a banner is set in a hurry.
    menu_order = 210
    add_to_admin_menu = True
    index_view_class = BannerIndexView
    add_view_class = BannerCreateView
    edit_view_class = BannerEditView
    delete_view_class = BannerDeleteView
    copy_view_enabled = False
    list_display = [
        "text",
        Column("status", label=gettext_lazy("Status"), accessor=lambda banner: banner.status()),
        DateColumn("starts_at", label=gettext_lazy("Shows from"), sort_key="starts_at"),
        DateColumn("expires_at", label=gettext_lazy("Expires at"), sort_key="expires_at"),
        DateColumn("ended_at", label=gettext_lazy("Ended at"), sort_key="ended_at"),
        Column("created_by", label=gettext_lazy("Set by")),
    ]

    def get_form_class(self, for_update: bool = False) -> type[BannerForm]:
        return BannerForm

    def get_urlpatterns(self) -> list[Any]:
        return super().get_urlpatterns() + [path("end/<int:pk>/", banner_end_view, name="end")]
