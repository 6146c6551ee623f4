"""Admin views for corrections: an article's list with the form that adds one, and an Admin's edit.

Thin: the rules (live articles only, Admins only for edits, history) are in corrections.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from . import corrections
from .models import CORRECTION_TEXT_MAX, ArticlePage, Correction


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Correction.Kind.choices)
    text = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=CORRECTION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Plain text, shown to readers as written: what was wrong and what is right."),
    )
    significant = forms.BooleanField(
        label=gettext_lazy("Significant"),
        required=False,
        help_text=gettext_lazy("Also shown at the top of the article, under the headline."),
    )


class AddCorrectionForm(CorrectionForm):
    at = forms.DateTimeField(
        label=gettext_lazy("Time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=gettext_lazy("Leave empty for now; an earlier time if the error was put right earlier."),
    )


def can_correct(article: Page, user: AbstractBaseUser) -> bool:
    """Whoever may publish the article may publish a correction on it."""
    return bool(article.permissions_for_user(user).can_publish())


def _acting(request: HttpRequest) -> User:
    # A plain user row: django-otp may wrap request.user, and a foreign key wants the model.
    return cast(User, get_user_model().objects.get(pk=cast(int, request.user.pk)))


def _apply(form: CorrectionForm, write: Callable[..., object]) -> bool:
    """Run the service with the form's values; its refusals become the form's errors."""
    try:
        write(**form.cleaned_data)
    except ValidationError as error:
        field = {"empty": "text", "too_long": "text", "at": "at"}.get(str(error.code))
        form.add_error(field, error)
        return False
    return True


def article_corrections(request: HttpRequest, page_id: int) -> HttpResponse:
    article = get_object_or_404(ArticlePage, pk=page_id)
    if not can_correct(article, cast(AbstractBaseUser, request.user)):
        raise PermissionDenied
    form = AddCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _acting(request)
        if _apply(form, lambda **values: corrections.correction_add(article=article, user=user, **values)):
            messages.success(request, _("Correction published on “%(title)s”.") % {"title": article.title})
            return redirect("articles_corrections", page_id=article.pk)
    context = {
        "article": article,
        "form": form,
        "corrections": article.corrections.prefetch_related("edits__edited_by").select_related("created_by"),
        "can_edit": corrections.is_admin(request.user),
    }
    return TemplateResponse(request, "articles/admin/corrections.html", context, status=400 if form.errors else 200)


def correction_edit(request: HttpRequest, correction_id: int) -> HttpResponse:
    correction = get_object_or_404(Correction.objects.select_related("article"), pk=correction_id)
    if not corrections.is_admin(request.user):
        raise PermissionDenied
    initial = {"kind": correction.kind, "text": correction.text, "significant": correction.significant}
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = _acting(request)
        if _apply(form, lambda **values: corrections.correction_edit(correction=correction, user=user, **values)):
            messages.success(request, _("Correction changed; its earlier text is kept in its history."))
            return redirect("articles_corrections", page_id=correction.article_id)
    context = {"correction": correction, "article": correction.article, "form": form}
    return TemplateResponse(request, "articles/admin/correction_edit.html", context, status=400 if form.errors else 200)
