from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import ad_report, can_see_reports
from .forms import CreativeForm
from .hosts import host_for_admins
from .models import Campaign, Creative


def destination(creative: Creative) -> str:
    return host_for_admins(creative.target_url)


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "calendar-alt"
    menu_label = _("Campaigns")
    list_display = ["name", "advertiser", "starts_at", "ends_at", "weight", "is_active"]
    list_filter = ["is_active", "advertiser"]
    search_fields = ["name", "advertiser"]


class CreativeViewSet(SnippetViewSet):
    model = Creative
    icon = "image"
    menu_label = _("Creatives")
    list_display = [
        "name",
        "campaign",
        "placement",
        "kind",
        "label",
        # Decoded, so an Admin sees the look-alike "apple.com" (and the warning), not "xn--pple-43d.com".
        Column("destination", label=_("Links to"), accessor=destination),
    ]
    list_filter = ["placement", "kind", "campaign"]
    search_fields = ["name", "alt_text"]
    edit_handler = ObjectList(Creative.panels, base_form_class=CreativeForm)


class AdsGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, CreativeViewSet)
    menu_icon = "doc-full"
    menu_label = _("Ads")
    menu_name = "ads"
    menu_order = 250


register_snippet(AdsGroup)


@hooks.register("register_admin_urls")
def ad_report_urls() -> list:
    return [path("ads/report/", ad_report, name="ads_report")]


class ReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:  # type: ignore[no-untyped-def]
        return can_see_reports(request.user)


@hooks.register("register_admin_menu_item")
def ad_report_menu_item() -> MenuItem:
    return ReportMenuItem(_("Ad reports"), reverse("ads_report"), icon_name="table", order=260)
