"""/corrections/: every correction and clarification readers may see, newest first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from newsdesk.articles.corrections import public_corrections
from newsdesk.articles.pagination import paginate


def corrections(request: HttpRequest) -> HttpResponse:
    page_obj = paginate(request, public_corrections())
    return render(request, "articles/corrections.html", {"page_obj": page_obj})
