"""`{% article_body %}`: where the inline slots go, and which runs of the body are kept rendered."""

import itertools

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template

from newsdesk.core import fragments
from newsdesk.pages.templatetags import article_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def slots(monkeypatch):
    """Each slot renders as a numbered marker, so the tests see where slots go and that they are never kept."""
    numbers = itertools.count(1)
    monkeypatch.setattr(article_tags, "ad_slot", lambda context, placement: f'<hr data-slot="{next(numbers)}">')


def render(article, key):
    html = Template("{% load article_tags %}{% article_body page key %}").render(Context({"page": article, "key": key}))
    return BeautifulSoup(html, "html.parser")


def sequence(parsed):
    return [el.get_text(strip=True) if el.name == "p" else "SLOT" for el in parsed.find_all(["p", "hr"])]


def test_the_automatic_slot_follows_the_block_the_settings_choose(article_factory, slots, monkeypatch):
    story = article_factory(body=["One.", "Two.", "Three.", "Four."])
    monkeypatch.setattr(article_tags, "inline_ad_index", lambda page: 1)
    assert sequence(render(story, None)) == ["One.", "Two.", "SLOT", "Three.", "Four."]


def test_editor_placed_slots_stand_where_they_were_put(article_factory, slots):
    story = article_factory(body=["One.", "Two.", "Three."])
    story.body.insert(1, ("ad_slot", None))
    story.body.insert(3, ("ad_slot", None))
    assert sequence(render(story, None)) == ["One.", "SLOT", "Two.", "SLOT", "Three."]


def test_a_body_without_a_slot_is_one_run(article_factory, slots, monkeypatch):
    story = article_factory(body=["One.", "Two."])
    monkeypatch.setattr(article_tags, "inline_ad_index", lambda page: None)
    assert sequence(render(story, "k-one-run")) == ["One.", "Two."]
    assert fragments.kept().get("part:k-one-run:body:0:2") is not None


def test_runs_are_kept_under_the_key_but_slots_are_rendered_every_time(article_factory, slots, monkeypatch):
    story = article_factory(body=["One.", "Two.", "Three."])
    monkeypatch.setattr(article_tags, "inline_ad_index", lambda page: 0)
    first = render(story, "k-kept")
    story.body = [("paragraph", f"<p>Changed {n}.</p>") for n in range(3)]
    second = render(story, "k-kept")
    assert sequence(second) == ["One.", "SLOT", "Two.", "Three."]
    assert first.hr["data-slot"] != second.hr["data-slot"]


def test_without_a_key_nothing_is_kept(article_factory, slots):
    story = article_factory(body=["Draft words."])
    render(story, None)
    story.body = [("paragraph", "<p>Newer draft words.</p>")]
    assert "Newer draft words." in sequence(render(story, None))
    assert fragments.kept().get("part:None:body:0:1") is None
