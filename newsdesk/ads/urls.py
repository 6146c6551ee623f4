from django.urls import path

from . import views

urlpatterns = [
    path("ads/<int:creative_id>/click/", views.click, name="ad-click"),
    path("ads/<int:creative_id>/impression/", views.impression, name="ad-impression"),
    path("ads/<int:creative_id>/frame/", views.frame, name="ad-frame"),
    path("ads.txt", views.ads_txt, name="ads-txt"),
]
