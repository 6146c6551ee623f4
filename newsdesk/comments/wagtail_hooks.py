"""The comment moderation queue in the Wagtail admin: menu item, listing, actions, bulk actions."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.actions import ActionRegistry, DeleteAction
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.log_actions import LogActionRegistry, log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import audit, services
from .admin_views import (
    MOVES,
    SEARCH_FIELDS,
    URL_NAMESPACE,
    CommentEditView,
    CommentFilterSet,
    CommentIndexView,
    ModerationColumn,
    PrivacyRequestView,
    StaffReplyView,
    can_moderate,
    excerpt,
    listing_comments,
    moderate_comment,
    name_check,
)
from .models import Comment


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers (or staff replies); none is written from scratch in the admin.

    The edit form has no article or date, so an "add" would fail; denying it hides the
    Add and Copy buttons for everyone, superusers included.
    """

    def user_has_permission(self, user: AbstractBaseUser | AnonymousUser, action: str) -> bool:
        return action != "add" and super().user_has_permission(user, action)


# Before the viewset below asks for a policy: Wagtail refuses to replace its fallback one.
register_permission_policy(Comment, CommentPermissionPolicy(Comment))


class CommentsMenuItem(MenuItem):
    """ "Comments (3)": the label counts the comments awaiting moderation."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_moderate(request.user)

    def render_component(self, request: HttpRequest) -> LinkMenuItem:
        # Menu items are built once per process; the count is taken on each render
        # (one indexed COUNT per admin page).
        waiting = Comment.objects.pending().count()
        label = _("%(label)s (%(count)d)") % {"label": self.label, "count": waiting} if waiting else self.label
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("Comments")
    menu_name = "comments"
    menu_order = 220
    add_to_admin_menu = True
    menu_item_class = CommentsMenuItem
    admin_url_namespace = URL_NAMESPACE
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    edit_template_name = "comments/admin/edit.html"
    copy_view_enabled = False
    list_per_page = 50
    search_fields = SEARCH_FIELDS
    filterset_class = CommentFilterSet
    list_display = [
        "name",
        Column("name_check", label=gettext_lazy("Name's characters"), accessor=name_check),
        "email",
        Column("excerpt", label=gettext_lazy("Comment"), accessor=excerpt),
        "article",
        "status",
        "reason",
        DateColumn("created_at", label=gettext_lazy("Date"), sort_key="created_at"),
        ModerationColumn("moderation", label=gettext_lazy("Moderate")),
    ]

    def get_urlpatterns(self) -> list:
        return super().get_urlpatterns() + [
            path("moderate/<int:pk>/<slug:action>/", moderate_comment, name="moderate"),
            path("reply/<int:pk>/", StaffReplyView.as_view(), name="reply"),
            path("privacy/", PrivacyRequestView.as_view(), name="privacy"),
        ]


register_snippet(CommentViewSet)


# --- Deleting through the service (it purges the article's cached page) -----------------


class CommentDeleteAction(DeleteAction):
    """Wagtail's delete (audit log entry included), with the row removed by services.delete_comment."""

    def _delete(self) -> None:
        with transaction.atomic():
            if self.log_action:
                log(
                    instance=self.instance,
                    action=self.log_action,
                    user=self.user,
                    deleted=True,
                    title=audit.log_title(self.instance),
                )
            services.delete_comment(self.instance)


@hooks.register("register_actions")
def register_comment_delete_action(registry: ActionRegistry) -> None:
    registry.register(Comment, CommentDeleteAction)


# order=1: runs after wagtail.snippets registers its DeleteBulkAction (order 0) for every
# snippet model, so this one replaces it for comments (the registry keeps the last one).
@hooks.register("register_bulk_action", order=1)
class CommentDeleteBulkAction(DeleteBulkAction):
    models = [Comment]

    @classmethod
    def execute_action(
        cls, objects: list[Comment], user: AbstractBaseUser | AnonymousUser | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        for comment in objects:
            audit.log_deletion(comment, user=user)
            services.delete_comment(comment)
        return len(objects), 0


# --- Bulk moderation ----------------------------------------------------------------


class BulkModerateAction(SnippetBulkAction):
    models = [Comment]
    template_name = "comments/admin/confirm_bulk_moderate.html"
    action_priority = 20
    status: str
    question: str | Promise

    def check_perm(self, obj: Comment) -> bool:
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", obj)

    def get_all_objects_in_listing_query(self, parent_id: str | None) -> QuerySet[Comment, int]:
        # "Select all in listing" sends the listing's filters and search along: act on those
        # comments only, not on every comment (Wagtail's default for snippets).
        return listing_comments(self.request.GET).values_list("pk", flat=True)

    @classmethod
    def execute_action(cls, objects: list[Comment], **kwargs: Any) -> tuple[int, int]:
        for comment in objects:
            services.moderate(comment, cls.status)
        return len(objects), 0


@hooks.register("register_bulk_action")
class BulkApproveAction(BulkModerateAction):
    display_name = MOVES["approve"].label
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected comments")
    status = MOVES["approve"].status
    question = gettext_lazy("Approve these comments? They appear on their articles at once.")

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return ngettext("%d comment approved.", "%d comments approved.", num_parent_objects) % num_parent_objects


@hooks.register("register_bulk_action")
class BulkUnapproveAction(BulkModerateAction):
    display_name = MOVES["unapprove"].label
    action_type = "unapprove"
    aria_label = gettext_lazy("Return the selected comments to the moderation queue")
    status = MOVES["unapprove"].status
    question = gettext_lazy("Return these comments to the moderation queue? Approved ones leave their articles.")

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return (
            ngettext(
                "%d comment is back in the moderation queue.",
                "%d comments are back in the moderation queue.",
                num_parent_objects,
            )
            % num_parent_objects
        )


@hooks.register("register_bulk_action")
class BulkSpamAction(BulkModerateAction):
    display_name = MOVES["spam"].label
    action_type = "spam"
    aria_label = gettext_lazy("Mark the selected comments as spam")
    status = MOVES["spam"].status
    question = gettext_lazy("Mark these comments as spam? The spam filter learns from them.")

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return (
            ngettext("%d comment marked as spam.", "%d comments marked as spam.", num_parent_objects)
            % num_parent_objects
        )


@hooks.register("register_bulk_action")
class BulkTrashAction(BulkModerateAction):
    display_name = MOVES["trash"].label
    action_type = "trash"
    aria_label = gettext_lazy("Move the selected comments to the trash")
    status = MOVES["trash"].status
    question = gettext_lazy("Move these comments to the trash?")

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return (
            ngettext("%d comment moved to the trash.", "%d comments moved to the trash.", num_parent_objects)
            % num_parent_objects
        )


# --- The audit log ----------------------------------------------------------------


@hooks.register("register_log_actions")
def register_moderation_actions(registry: LogActionRegistry) -> None:
    audit.register_actions(registry)


# --- Keeping the article page fresh after an edit ---------------------------------------


@hooks.register("after_edit_snippet")
def purge_after_comment_edit(request: HttpRequest, instance: Model) -> None:
    """A published comment's new text must reach its article's cached page."""
    if isinstance(instance, Comment) and instance.status == Comment.Status.APPROVED:
        # The old text must not come back from a stale copy: a hard purge.
        services.shown_comments_changed(instance.article, removed=True)
