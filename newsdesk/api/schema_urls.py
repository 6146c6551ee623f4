"""The URL patterns the OpenAPI document describes: the API's own, under their real prefix."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("newsdesk.api.urls"))]
