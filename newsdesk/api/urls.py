from django.urls import path, re_path

from . import docs, views

urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="api-articles"),
    path("articles/<int:pk>/", views.ArticleDetail.as_view(), name="api-article"),
    re_path(
        r"^articles/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<slug>[-\w]+)/$",
        views.ArticleByPath.as_view(),
        name="api-article-by-path",
    ),
    path("sections/", views.SectionList.as_view(), name="api-sections"),
    path("authors/", views.AuthorList.as_view(), name="api-authors"),
    path("tags/", views.TagList.as_view(), name="api-tags"),
    path("home/", views.Home.as_view(), name="api-home"),
    path("schema/", docs.SchemaView.as_view(), name="api-schema"),
    path("docs/", docs.docs, name="api-docs"),
]
