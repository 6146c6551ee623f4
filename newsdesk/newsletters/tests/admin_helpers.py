"""Signed-in clients and page readers for the newsletters admin tests."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse


def signed_in(group: str | None, *, email: str = "", name: str = "") -> Client:
    user = User.objects.create_user(name or f"user-{group or 'none'}", password="pw-12345678", email=email)
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def refused(response) -> bool:
    """How the admin answers a signed-in user without the permission: back to the dashboard, with a message."""
    messages = [message.message.strip() for message in get_messages(response.wsgi_request)]
    return response.status_code == 302 and "Sorry, you do not have permission to access this area." in messages


def messages_of(response) -> list[str]:
    return [str(message.message).strip() for message in get_messages(response.wsgi_request)]


def edition_url(edition, view: str = "inspect") -> str:
    return reverse(f"newsletter_editions:{view}", args=[edition.pk])


def newsletter_url(newsletter, view: str = "inspect") -> str:
    return reverse(f"newsletter_admin:{view}", args=[newsletter.pk])


def compose_data(newsletter, articles, **fields: str) -> dict[str, str]:
    """The compose form as the browser posts it: the edition's fields and one inline form per story."""
    data = {
        "newsletter": str(newsletter.pk),
        "subject": "Tonight's briefing",
        "intro": "Good evening.\n\nTwo stories tonight.",
        "items-TOTAL_FORMS": str(len(articles)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, article in enumerate(articles):
        data.update({f"items-{index}-article": str(article.pk), f"items-{index}-ORDER": str(index + 1)})
        data.update({f"items-{index}-id": "", f"items-{index}-DELETE": ""})
    data.update(fields)
    return data
