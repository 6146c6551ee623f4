"""Production requires two-factor of Admins and Editors unless told otherwise; development and tests do not."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def production_setting(name: str, **environment: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "news.example.com",
        **environment,
    }
    for name_left_to_default in {"NEWSDESK_2FA_REQUIRED_GROUPS", "NEWSDESK_TRUSTED_PROXIES"} - environment.keys():
        env.pop(name_left_to_default, None)
    script = f"from django.conf import settings; print(settings.{name})"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_production_requires_two_factor_of_admins_and_editors():
    assert production_setting("NEWSDESK_2FA_REQUIRED_GROUPS") == "['Admins', 'Editors']"


def test_an_operator_can_turn_the_requirement_off():
    assert production_setting("NEWSDESK_2FA_REQUIRED_GROUPS", NEWSDESK_2FA_REQUIRED_GROUPS="") == "[]"


def test_production_believes_only_the_local_proxy():
    assert production_setting("NEWSDESK_TRUSTED_PROXIES") == "['127.0.0.1', '::1']"


def test_tests_require_it_of_nobody_and_lock_at_most_at_twenty():
    assert settings.NEWSDESK_2FA_REQUIRED_GROUPS == []
    assert settings.AXES_FAILURE_LIMIT <= 20
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
