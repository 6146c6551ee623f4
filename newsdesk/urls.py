from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from newsdesk.core import views as core_views
from newsdesk.core.pictures.urls import rendition_media_urls

urlpatterns = [
    # Before Wagtail's admin: the audit log's report, for Admins only, on Wagtail's own path.
    path("", include("newsdesk.audit.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("newsdesk.seo.urls")),
    path("", include("newsdesk.live.urls")),
    path("", include("newsdesk.pages.urls")),
    path("", include("newsdesk.articles.urls")),
    path("", include("newsdesk.recommendations.urls")),
    path("", include("newsdesk.ads.urls")),
    path("", include("newsdesk.comments.urls")),
    path("newsletters/", include("newsdesk.newsletters.urls")),
    path("api/v1/", include("newsdesk.api.urls")),
]

if settings.DEBUG:
    # Development only, and renditions only: originals are never served to readers.
    # Production serves renditions from the web server (docs/deploy.md, "Pictures").
    urlpatterns += rendition_media_urls()

urlpatterns += [path("", include(wagtail_urls))]
