from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import ad_report, can_see_reports
from .models import Campaign, Creative


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
    list_display = ["name", "campaign", "placement", "kind", "label"]
    list_filter = ["placement", "kind", "campaign"]
    search_fields = ["name", "alt_text"]


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
