from django.urls import path

from . import views

urlpatterns = [
    path("live/<int:article_id>/updates/", views.updates, name="live-updates"),
]
