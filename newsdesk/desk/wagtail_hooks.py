"""The desk dashboard on the Wagtail admin home: panels by role, in place of Wagtail's workflow panels."""

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.home import UserObjectsInWorkflowModerationPanel, WorkflowObjectsToModeratePanel

from . import access
from .panels import (
    AwaitingReviewPanel,
    DeskPanel,
    HeldCommentsPanel,
    IngestErrorsPanel,
    MostReadPanel,
    MyDraftsInReviewPanel,
    PublishedTodayPanel,
    ScheduledPanel,
    StaleLeadPanel,
)

# Wagtail's own review panels list every task state and workflow with no limit, and ask
# the database again for each row; the desk's bounded panels list the same things.
REPLACED = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)


def desk_panels(request: HttpRequest) -> list[DeskPanel]:
    """The panels this user may act on."""
    user = request.user
    panels: list[DeskPanel] = []
    if access.reviews(user):
        panels.append(AwaitingReviewPanel())
    panels.append(MyDraftsInReviewPanel())
    if access.publishes(user):
        panels += [ScheduledPanel(), StaleLeadPanel(), PublishedTodayPanel(), MostReadPanel()]
    if access.moderates(user):
        panels.append(HeldCommentsPanel())
    if access.watches_ingest(user):
        panels.append(IngestErrorsPanel())
    return panels


@hooks.register("construct_homepage_panels")
def add_desk_panels(request: HttpRequest, panels: list[Any]) -> None:
    panels[:] = [panel for panel in panels if not isinstance(panel, REPLACED)]
    panels.extend(desk_panels(request))


# After Wagtail's own hooks have added their items (order 0).
@hooks.register("construct_homepage_summary_items", order=100)
def drop_page_count(request: HttpRequest, items: list[Any]) -> None:
    # The page count counts every page in the tree (200,000 articles and more) on every visit
    # to the dashboard, and tells the desk nothing it can act on.
    items[:] = [item for item in items if not isinstance(item, PagesSummaryItem)]
