from wagtail import hooks

from .admin_views import BannerViewSet


@hooks.register("register_admin_viewset")
def register_banner_viewset() -> BannerViewSet:
    return BannerViewSet()
