"""The production settings, plus what docs/deploy.md tells an operator to add when Varnish is in front."""

import os

from newsdesk.settings.production import *  # noqa: F403

if os.environ.get("NEWSDESK_TEST_VARNISH_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["NEWSDESK_TEST_VARNISH_URL"],
        }
    }
