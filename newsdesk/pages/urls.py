from django.urls import path, re_path

from . import corrections_views, views

urlpatterns = [
    re_path(
        r"^(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[-\w]+)/$",
        views.article,
        name="article",
    ),
    path("authors/<slug:slug>/", views.author, name="author"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("search/", views.search, name="search"),
    path("related/<int:article_id>/", views.related, name="related-articles"),
    path("corrections/", corrections_views.corrections, name="corrections"),
]
