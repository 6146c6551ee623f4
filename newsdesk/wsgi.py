import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.settings.production")

from newsdesk.core.page_cache import CachedPageApplication

# Fresh cached pages are answered before Django builds a request (see page_cache).
application = CachedPageApplication(get_wsgi_application())
