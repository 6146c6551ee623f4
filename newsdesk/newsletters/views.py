"""What readers see of the newsletters: the list, sign-up, the links in the mails, and the archive.

The links in a mail (confirm, manage, unsubscribe) are capabilities: the signed token in
the address is the reader's only credential, so their pages are never cached (no-store),
never indexed, and never send that address on as a Referer. Mail scanners and link
previewers open every link in a mail, so a GET never changes anything: each page asks
for a button press (a POST), except RFC 8058's one-click POST, which is the mail
provider's button press.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from newsdesk.articles.pagination import paginate
from newsdesk.core.cross_site import is_cross_site
from newsdesk.core.visitors import client_address

from . import mail, services, signup_block, tokens
from .forms import EraseForm, ManageForm, SignUpForm, local_path, signup_context, started_token
from .models import Edition, Newsletter, Subscriber

SIGNUP_FORM_PAGE = "newsletters/signup_page.html"


def _private(response: HttpResponse) -> HttpResponse:
    """A page for one reader only: no shared or browser cache keeps it, and its address goes nowhere."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_link(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "newsletters/bad_link.html", status=400))


def _cross_site_refused() -> HttpResponse:
    return HttpResponse(_("Newsletter forms can only be sent from this site."), status=403)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The public newsletters, each with its archive, and the sign-up form (cached like any page)."""
    newsletters = Newsletter.objects.filter(public=True).order_by("sort_order", "name")
    return render(request, "newsletters/index.html", {"newsletters": newsletters})


@csrf_exempt  # the form sits on cached pages without a CSRF token; is_cross_site stands in
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect("/newsletters/", status=303)
    if is_cross_site(request):
        return _cross_site_refused()
    choices = signup_block.choices()
    form = SignUpForm(request.POST, choices=[(choice["id"], choice["name"]) for choice in choices])
    if form.looks_automated:
        # Same answer as a real sign-up, so a script learns nothing from it; nothing is sent.
        return _signup_answer(request, form)
    if not form.is_valid():
        return _signup_form_page(request, form, choices, 400)
    chosen = list(Newsletter.objects.filter(pk__in=form.cleaned_data["newsletters"], public=True))
    origin = form.cleaned_data["source"]
    try:
        services.request_signup(
            form.cleaned_data["email"],
            chosen,
            client=client_address(request),
            # Stored as the consent record, so in one language whatever the reader's.
            source=f"sign-up form on {origin}" if origin else "sign-up form",
        )
    except services.SignUpRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return _signup_form_page(request, form, choices, refusal.status)
    return _signup_answer(request, form)


def _signup_answer(request: HttpRequest, form: SignUpForm) -> HttpResponse:
    """The one answer to every accepted-looking sign-up: new, known, suppressed or a trap hit alike."""
    context = {"back": local_path(str(form.data.get("source", "")))}
    return _private(render(request, "newsletters/signup_done.html", context))


def _signup_form_page(
    request: HttpRequest, form: SignUpForm, choices: list[signup_block.Choice], status: int
) -> HttpResponse:
    context = {"signup": signup_context(choices, source="", form=form)}
    return _private(render(request, SIGNUP_FORM_PAGE, context, status=status))


@never_cache
@require_GET
def start(request: HttpRequest) -> JsonResponse:
    """A fresh "form opened" stamp: a cached page's own stamp is as old as the cached copy."""
    return JsonResponse({"started": started_token()})


@csrf_exempt  # the token is the credential; see the module's docstring
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        asked = tokens.read_confirmation(token)
    except tokens.BadLink:
        return _bad_link(request)
    if request.method != "POST":
        newsletters = Newsletter.objects.filter(pk__in=asked.newsletter_ids).order_by("sort_order", "name")
        return _private(render(request, "newsletters/confirm.html", {"email": asked.email, "newsletters": newsletters}))
    if is_cross_site(request):
        return _cross_site_refused()
    try:
        subscriber = services.confirm(token)
    except tokens.BadLink:
        return _bad_link(request)
    confirmed = {
        "subscriber": subscriber,
        "newsletters": list(subscriber.newsletters.order_by("sort_order", "name")),
        "manage_path": _manage_path(subscriber),
    }
    return _private(render(request, "newsletters/confirmed.html", confirmed))


def _manage_path(subscriber: Subscriber) -> str:
    return f"/newsletters/manage/{services.manage_token(subscriber)}/"


def _offered(subscriber: Subscriber) -> list[Newsletter]:
    """The public newsletters, and any other this reader receives (so they can leave it too)."""
    current = Newsletter.objects.filter(subscriptions__subscriber=subscriber)
    return list((Newsletter.objects.filter(public=True) | current).distinct().order_by("sort_order", "name"))


@csrf_exempt  # the token is the credential; see the module's docstring
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = services.subscriber_from_manage_token(token)
    except tokens.BadLink:
        return _bad_link(request)
    offered = _offered(subscriber)
    form = ManageForm(
        initial={"newsletters": list(subscriber.newsletters.values_list("pk", flat=True))}, offered=offered
    )
    erase_form = EraseForm()
    status, saved = 200, False
    if request.method == "POST":
        if is_cross_site(request):
            return _cross_site_refused()
        if request.POST.get("action") == "erase":
            erase_form = EraseForm(request.POST)
            if erase_form.is_valid():
                services.erase(subscriber)
                return _private(render(request, "newsletters/erased.html"))
            status = 400
        else:
            form = ManageForm(request.POST, offered=offered)
            if form.is_valid():
                services.set_subscriptions(subscriber, form.cleaned_data["newsletters"])
                form = ManageForm(
                    initial={"newsletters": [newsletter.pk for newsletter in form.cleaned_data["newsletters"]]},
                    offered=offered,
                )
                saved = True
            else:
                status = 400
    context = {"subscriber": subscriber, "form": form, "erase_form": erase_form, "saved": saved}
    return _private(render(request, "newsletters/manage.html", context, status=status))


# No cross-site check and no CSRF: RFC 8058 §3.1 one-click unsubscribe is a bare POST
# ("List-Unsubscribe=One-Click") from the mail provider's servers, with no cookie and no Origin.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            subscriber, newsletter = services.unsubscribe_by_token(token)
        except tokens.BadLink:
            return _bad_link(request)
        context = {"newsletter": newsletter, "manage_path": _manage_path(subscriber)}
        return _private(render(request, "newsletters/unsubscribed.html", context))
    leaving = _unsubscribe_target(token)
    if leaving is None:
        return _bad_link(request)
    return _private(render(request, "newsletters/unsubscribe.html", {"newsletter": leaving}))


def _unsubscribe_target(token: str) -> Newsletter | None:
    """The newsletter an unsubscribe link leaves, if the link is good; changes nothing."""
    try:
        pk, key, newsletter_id = tokens.read_unsubscribe(token)
    except tokens.BadLink:
        return None
    if not Subscriber.objects.filter(pk=pk, key=key).exists():
        return None
    return Newsletter.objects.filter(pk=newsletter_id).first()


def _public_newsletter(slug: str) -> Newsletter:
    return get_object_or_404(Newsletter, slug=slug, public=True)


@require_GET
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    """A public newsletter's sent editions, newest first; drafts and editions in progress never show."""
    newsletter = _public_newsletter(slug)
    editions = (
        Edition.objects.filter(newsletter=newsletter, status=Edition.Status.SENT)
        .exclude(web_key="")
        .order_by("-finished_at", "-pk")
    )
    page_obj = paginate(request, editions)
    return render(request, "newsletters/archive.html", {"newsletter": newsletter, "page_obj": page_obj})


@require_GET
def edition(request: HttpRequest, slug: str, web_key: str) -> HttpResponse:
    """One sent edition as a web page, without anyone's unsubscribe links."""
    newsletter = _public_newsletter(slug)
    found = (
        Edition.objects.select_related("newsletter")
        .filter(newsletter=newsletter, web_key=web_key, status=Edition.Status.SENT)
        .first()
    )
    if found is None:
        raise Http404("No such edition")
    return render(request, "newsletters/edition.html", mail.edition_context(found))
