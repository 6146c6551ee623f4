"""The production application, plus the pictures nginx would serve, for `make lighthouse` only.

In production nginx answers /media/images/ from disk (deploy/nginx.conf, 30 days); gunicorn
alone refuses everything under /media/, so a page measured straight from gunicorn would show
404s and empty boxes. WhiteNoise stands in for that nginx location here, with the same
lifetime, and checks the folder on every request because renditions are written while the
pages are first rendered.
"""

from django.conf import settings
from whitenoise import WhiteNoise

from newsdesk.wsgi import application as site

application = WhiteNoise(site, max_age=60 * 60 * 24 * 30, autorefresh=True)
application.add_files(str(settings.MEDIA_ROOT / "images"), prefix="media/images/")
