"""Reader addresses under /newsletters/ (newsdesk/urls.py). mail.py builds the token links by these paths.

The fixed words come before `<slug>/`, so a newsletter cannot be named signup, confirm,
manage or unsubscribe and be reached (its archive would be shadowed).
"""

from django.urls import include, path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", views.index, name="index"),
    path("signup/", views.signup, name="signup"),
    path("signup/start/", views.start, name="start"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.archive, name="archive"),
    path("<slug:slug>/<slug:web_key>/", views.edition, name="edition"),
    # E-mail services' tracking webhooks (bounces, complaints): webhooks.py; three segments, so no slug shadows them.
    path("anymail/", include("anymail.urls")),
]
