from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from newsdesk.core.visitors import client_address

from . import services


@csrf_exempt  # a counter: it carries no reader data and changes nothing a reader owns
@require_POST
def count_view(request: HttpRequest, article_id: int) -> HttpResponse:
    services.record_view(
        article_id=article_id,
        remote_addr=client_address(request) or "",
        user_agent=request.headers.get("User-Agent", "")[:512],
    )
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
