"""The newsroom's groups and its Writer → Editor review workflow.

Run after every `migrate` (see apps.py), so a fresh database, the demo and the test
database all get the same roles. Idempotent.
"""

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

WRITERS = "Writers"
EDITORS = "Editors"
ADMINS = "Admins"
WORKFLOW_NAME = "Newsroom review"
REVIEW_TASK_NAME = "Editor approval"

# "add" alone lets Wagtail's page policy edit the pages a user owns (created) and nothing
# else; "change" edits every page under the grant. Writers get the first, Editors both.
# A page on a review task is also open to that task's groups (GroupApprovalTask's
# user_can_access_editor), which is how a draft is "submitted to" someone.
WRITER_PAGE_PERMISSIONS = ["add_page"]
EDITOR_PAGE_PERMISSIONS = WRITER_PAGE_PERMISSIONS + [
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]
# Granted to Writers before issue 18; taken back from existing databases.
WRITER_REVOKED_PAGE_PERMISSIONS = ["change_page"]
WRITER_IMAGE_PERMISSIONS = ["add_image", "choose_image"]
EDITOR_IMAGE_PERMISSIONS = WRITER_IMAGE_PERMISSIONS + ["change_image", "delete_image"]
WRITER_MODEL_PERMISSIONS = [("wagtailadmin", "access_admin"), ("articles", "view_author"), ("articles", "add_author")]
EDITOR_MODEL_PERMISSIONS = WRITER_MODEL_PERMISSIONS + [
    ("articles", "change_author"),
    ("articles", "delete_author"),
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "delete_comment"),
    ("recommendations", "change_mustreadsettings"),
    ("ads", "view_campaign"),
    ("ads", "add_campaign"),
    ("ads", "change_campaign"),
    ("ads", "delete_campaign"),
    ("ads", "view_creative"),
    ("ads", "add_creative"),
    ("ads", "change_creative"),
    ("ads", "delete_creative"),
    # Old addresses (a WordPress archive's permalinks, renamed stories) are the desk's to keep.
    ("wagtailredirects", "add_redirect"),
    ("wagtailredirects", "change_redirect"),
    ("wagtailredirects", "delete_redirect"),
    # Which wires and partner feeds come in, and where they land, is an editorial call (newsdesk/ingest).
    ("ingest", "add_source"),
    ("ingest", "change_source"),
    ("ingest", "delete_source"),
    ("ingest", "view_source"),
    # Newsletters are the desk's to run (newsdesk/newsletters): editions, picks, and the subscriber
    # list with import and suppression. Exporting every address and erasing one stay with Admins
    # (delete_subscriber).
    *[
        ("newsletters", f"{action}_{model}")
        for model in ("newsletter", "newsletterpick", "edition")
        for action in ("add", "change", "delete", "view")
    ],
    ("newsletters", "view_subscriber"),
    ("newsletters", "add_subscriber"),
    ("newsletters", "change_subscriber"),
    # The breaking-news banner is the desk's call (newsdesk/breaking): set, edit and end; deleting stays with Admins.
    ("breaking", "view_breakingbanner"),
    ("breaking", "add_breakingbanner"),
    ("breaking", "change_breakingbanner"),
]


def _permissions(pairs: list[tuple[str, str]]) -> list[Permission]:
    return [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in pairs]


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _image_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)


def _grant(group: Group, *, model: list[Permission], page: list[str], image: list[str]) -> None:

    group.permissions.add(*model)
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for codename in page:
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=_page_permission(codename))
    for codename in image:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=_image_permission(codename)
        )


def _revoke_page_permissions(group: Group, codenames: list[str]) -> None:
    """Take back grants on the whole tree; a grant an Admin made on one section stays."""
    GroupPagePermission.objects.filter(
        group=group,
        page=Page.get_first_root_node(),
        permission__content_type__app_label="wagtailcore",
        permission__codename__in=codenames,
    ).delete()


def ensure_wagtail_roots() -> None:
    """The root page, root collection and default locale Wagtail's migrations create.

    A database flush (as transactional tests do) removes them; recreate them so the
    site and the roles below always have something to hang on.
    """

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@transaction.atomic
def ensure_newsroom_roles() -> None:

    ensure_wagtail_roots()

    writers, _ = Group.objects.get_or_create(name=WRITERS)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    admins, _ = Group.objects.get_or_create(name=ADMINS)
    _grant(
        writers,
        model=_permissions(WRITER_MODEL_PERMISSIONS),
        page=WRITER_PAGE_PERMISSIONS,
        image=WRITER_IMAGE_PERMISSIONS,
    )
    _revoke_page_permissions(writers, WRITER_REVOKED_PAGE_PERMISSIONS)
    _grant(
        editors,
        model=_permissions(EDITOR_MODEL_PERMISSIONS),
        page=EDITOR_PAGE_PERMISSIONS,
        image=EDITOR_IMAGE_PERMISSIONS,
    )
    _grant(admins, model=list(Permission.objects.all()), page=EDITOR_PAGE_PERMISSIONS, image=EDITOR_IMAGE_PERMISSIONS)

    task, _ = GroupApprovalTask.objects.get_or_create(name=REVIEW_TASK_NAME)
    task.groups.set([editors, admins])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    root_page = Page.get_first_root_node()
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    # Wagtail's stock "Moderators approval" set-up would be a second, conflicting path.
    Workflow.objects.exclude(pk=workflow.pk).update(active=False)
    Group.objects.filter(name="Moderators").delete()


def on_post_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions are made in each app's own post_migrate; ours runs first, so make them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    ensure_newsroom_roles()
