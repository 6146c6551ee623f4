from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsdesk.core import views as core_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.health, name="health"),
    path("", include("newsdesk.seo.urls")),
    path("", include("newsdesk.pages.urls")),
    path("", include("newsdesk.articles.urls")),
    path("", include("newsdesk.recommendations.urls")),
    path("", include("newsdesk.ads.urls")),
    path("", include("newsdesk.comments.urls")),
]

if settings.DEBUG:
    # Development only: production serves media from the web server or object storage.
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
