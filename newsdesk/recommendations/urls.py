from django.urls import path

from . import views

urlpatterns = [
    path("stats/views/<int:article_id>/", views.count_view, name="count-view"),
]
