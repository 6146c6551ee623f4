"""Posting a comment from a cached article page, and the small pages around it."""

import json
import logging

from django.conf import settings
from django.core import signing
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from newsdesk.articles.models import ArticlePage
from newsdesk.articles.selectors import published_articles
from newsdesk.core.cross_site import is_cross_site
from newsdesk.core.visitors import client_address

from . import services
from .forms import CommentForm, started_token
from .models import Comment

logger = logging.getLogger(__name__)

REMEMBER_COOKIE = "newsdesk_commenter"
PENDING_COOKIE = "newsdesk_pending"
# Readable by the page's script, which then asks for the reader's own held comments;
# the list itself stays in the signed, HttpOnly PENDING_COOKIE.
PENDING_FLAG_COOKIE = "newsdesk_has_pending"
REMEMBER_SECONDS = 347 * 24 * 60 * 60
PENDING_SECONDS = 14 * 24 * 60 * 60
PENDING_SALT = "newsdesk.comments.pending"


def _client_ip(request: HttpRequest) -> str | None:
    # The connection's address, or the one a trusted proxy saw (never a header the client sets).
    return client_address(request)


def _form_page(request: HttpRequest, article: ArticlePage, form: CommentForm, status: int) -> HttpResponse:
    response = render(request, "comments/form_page.html", {"article": article, "form": form}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def post(request: HttpRequest, article_id: int) -> HttpResponse:
    article = published_articles().filter(pk=article_id).first()
    if article is None:
        raise Http404("No such article")
    if is_cross_site(request):
        return HttpResponse(_("Comments can only be posted from this site."), status=403)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _form_page(request, article, form, 400)
    data = form.cleaned_data
    submission = services.Submission(
        article=article,
        name=data["name"],
        email=data["email"],
        website=data["website"] or "",
        body=data["comment"],
        parent_id=data.get("parent"),
        ip_address=_client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        idempotency_key=data["key"],
        honeypot=data["homepage"],
        seconds_to_fill=form.seconds_to_fill,
        user=request.user if request.user.is_authenticated else None,
    )
    try:
        comment, _created = services.post_comment(submission)
    except services.CommentRejected as rejection:
        form.add_error(rejection.field, rejection.message)
        return _form_page(request, article, form, rejection.status)
    except DatabaseError:
        logger.exception("Could not store a comment on article %s", article.pk)
        form.add_error(None, _("We could not save your comment just now. Nothing was lost: please send it again."))
        return _form_page(request, article, form, 503)
    if comment.status == Comment.Status.APPROVED:
        response: HttpResponse = HttpResponseRedirect(f"{article.dated_path()}#comment-{comment.pk}", status=303)
    else:
        # Held, or quietly rejected: the writer sees the same notice either way, so a
        # spammer learns nothing from it.
        response = render(request, "comments/posted.html", {"article": article, "comment": comment})
        _remember_pending(request, response, comment)
    response["Cache-Control"] = "no-store"
    _remember_commenter(response, data)
    return response


def _remember_commenter(response: HttpResponse, data: dict) -> None:
    """Only with the box ticked does the browser keep name, email and website."""
    if data.get("remember"):
        value = json.dumps({"name": data["name"], "email": data["email"], "website": data["website"] or ""})
        response.set_cookie(
            REMEMBER_COOKIE,
            signing.b64_encode(value.encode()).decode(),
            max_age=REMEMBER_SECONDS,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def pending_ids(request: HttpRequest) -> list[int]:
    raw = request.COOKIES.get(PENDING_COOKIE, "")
    try:
        ids = signing.loads(raw, salt=PENDING_SALT, max_age=PENDING_SECONDS) if raw else []
    except signing.BadSignature:
        return []
    return [int(pk) for pk in ids if isinstance(pk, int)]


def _remember_pending(request: HttpRequest, response: HttpResponse, comment: Comment) -> None:
    ids = [pk for pk in pending_ids(request) if pk != comment.pk][-9:] + [comment.pk]
    secure = settings.SESSION_COOKIE_SECURE
    response.set_cookie(
        PENDING_COOKIE,
        signing.dumps(ids, salt=PENDING_SALT),
        max_age=PENDING_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=secure,
    )
    response.set_cookie(PENDING_FLAG_COOKIE, "1", max_age=PENDING_SECONDS, samesite="Lax", secure=secure)


@never_cache
@require_GET
def mine(request: HttpRequest, article_id: int) -> JsonResponse:
    """This reader's own comments still awaiting moderation on one article (for the cached page's script)."""
    ids = pending_ids(request)
    comments = Comment.objects.filter(pk__in=ids, article_id=article_id).exclude(status=Comment.Status.APPROVED)
    items = [
        {
            "id": comment.pk,
            "parent": comment.parent_id,
            "name": comment.name,
            "body": comment.body,
            "created": comment.created_at.isoformat(),
        }
        for comment in comments.order_by("created_at")
    ]
    return JsonResponse({"comments": items, "notice": _("Your comment is awaiting moderation.")})


@never_cache
@require_GET
def start(request: HttpRequest) -> JsonResponse:
    """A fresh "form opened" stamp: the cached page's own stamp is as old as the cached copy."""
    return JsonResponse({"started": started_token()})


@require_GET
@cache_control(public=True, max_age=300)
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The reply form on its own page, for readers without JavaScript."""
    parent = get_object_or_404(Comment.objects.approved().select_related("article"), pk=comment_id)
    article = published_articles().filter(pk=parent.article_id).first()
    if article is None:
        raise Http404("No such article")
    form = CommentForm(initial={"parent": parent.pk, "started": started_token()})
    return render(request, "comments/form_page.html", {"article": article, "form": form, "parent": parent})
