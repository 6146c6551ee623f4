from wagtail import hooks
from wagtail.permissions import register_permission_policy

from newsdesk.core.privacy import HOOK, PrivacySource

from . import privacy
from .admin_views import NewslettersGroup, SubscriberPermissionPolicy
from .models import Subscriber

# Before the viewsets below ask for a policy: Wagtail refuses to replace its fallback one.
register_permission_policy(Subscriber, SubscriberPermissionPolicy(Subscriber))


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets() -> NewslettersGroup:
    return NewslettersGroup()


@hooks.register(HOOK)
def newsletters_privacy_source() -> PrivacySource:
    # An Admin's access or erasure request on the comments' privacy screen covers newsletters too.
    return privacy.privacy_source()
