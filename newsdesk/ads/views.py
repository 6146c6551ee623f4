"""Reader-facing ad endpoints: click redirect, impression beacon, sandboxed code frame, ads.txt."""

import base64

from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsdesk.core.visitors import client_address

from . import services
from .hosts import host_allowed
from .models import Campaign, Creative
from .selectors import ad_settings, allowed_click_hosts

# A transparent 1x1 GIF for readers without JavaScript (the <noscript> impression pixel).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
# The ad network's code runs here, on its own page: an opaque origin that cannot read
# the site's cookies or DOM, whatever the embedding page's Content-Security-Policy is.
FRAME_POLICY = "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox"


def _user_agent(request: HttpRequest) -> str:
    return request.headers.get("User-Agent", "")[:512]


@never_cache
@require_GET
def click(request: HttpRequest, creative_id: int) -> HttpResponse:
    """Count the click and send the reader to the creative's stored address, and only there.

    An ad of a campaign that is not running (ended, stopped, not started), or one linking to
    a host the Admins' allow-list no longer has, sends the reader to the home page uncounted:
    an old page or a copied link must not keep paying out or keep sending readers there.
    """
    running = Campaign.objects.running().filter(pk=OuterRef("campaign_id"))
    creative = (
        Creative.objects.filter(pk=creative_id, kind=Creative.Kind.IMAGE)
        .annotate(running=Exists(running))
        .values("target_url", "running")
        .first()
    )
    if creative is None or not creative["target_url"]:
        raise Http404("No such ad")
    url = creative["target_url"]
    if not creative["running"] or not host_allowed(url, allowed_click_hosts()):
        return HttpResponseRedirect("/")
    services.record_click(
        creative_id=creative_id, remote_addr=client_address(request) or "", user_agent=_user_agent(request)
    )
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "origin"
    return response


@csrf_exempt  # a counter fed by navigator.sendBeacon from cached pages: no reader data, nothing to protect
@never_cache
@require_http_methods(["GET", "POST"])
def impression(request: HttpRequest, creative_id: int) -> HttpResponse:
    services.record_impression(creative_id=creative_id, user_agent=_user_agent(request))
    if request.method == "GET":
        return HttpResponse(PIXEL, content_type="image/gif")
    return HttpResponse(status=204)


@require_GET
@xframe_options_sameorigin
@cache_control(public=True, max_age=300)
def frame(request: HttpRequest, creative_id: int) -> HttpResponse:
    creative = Creative.objects.filter(pk=creative_id, kind=Creative.Kind.CODE).only("code").first()
    if creative is None:
        raise Http404("No such ad")
    document = (
        '<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex">'
        "<style>html,body{margin:0;padding:0;overflow:hidden}</style></head><body>"
        f"{creative.code}</body></html>"
    )
    response = HttpResponse(document)
    response["Content-Security-Policy"] = FRAME_POLICY
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def ads_txt(request: HttpRequest) -> HttpResponse:
    text = str(ad_settings()["ads_txt"]).strip()
    if not text:
        raise Http404("No ads.txt has been saved")
    return HttpResponse(text + "\n", content_type="text/plain; charset=utf-8")
