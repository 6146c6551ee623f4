"""API keys in the admin (Settings → API keys), for Admins only.

A new key's token is shown once, on the answer to the form that made it (never
stored, never cached, never put in a URL); afterwards only its first characters are.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from newsdesk.staff.access import is_admin

from . import services
from .admin_forms import ApiKeyForm
from .models import ApiKey


def _admins_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


def _acting(request: HttpRequest) -> User:
    # django-otp wraps request.user; the key's creator is the plain row.
    return User.objects.get(pk=cast(int, request.user.pk))


@never_cache
@sensitive_variables("token")
def api_keys(request: HttpRequest) -> HttpResponse:
    """The keys, and the form that makes one (its answer shows the new token once)."""
    _admins_only(request)
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    token = None
    if request.method == "POST" and form.is_valid():
        _key, token = services.api_key_create(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
            created_by=_acting(request),
        )
        form = ApiKeyForm()
    context = {"keys": ApiKey.objects.select_related("created_by"), "form": form, "token": token}
    status = 400 if form.errors else 200
    response = TemplateResponse(request, "api/admin/keys.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    _admins_only(request)
    key = get_object_or_404(ApiKey, pk=pk)
    services.api_key_revoke(key=key)
    messages.success(request, _("Key “%(name)s” revoked: it no longer works.") % {"name": key.name})
    return redirect("api_keys")
