from wagtail import hooks

from .admin_views import SourceViewSet


@hooks.register("register_admin_viewset")
def register_source_viewset() -> SourceViewSet:
    return SourceViewSet()
