"""Factories for sections, authors and articles, shared by the tests, the demo and the benchmark.

Articles are built the way newsroom scripts build them: an import payload (the
`import_article` JSON shape) fed to `article_import`. All text here is invented
for Newsdesk; the random generator is seeded, so the same seed gives the same
newsroom.
"""

from __future__ import annotations

import datetime
import itertools
import random
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw

from .models import ArticlePage, Author, SectionPage
from .services import article_import, newsroom_ensure, section_ensure

SECTIONS = [
    ("world", "World", "Reporting from capitals and crossings far from home."),
    ("politics", "Politics", "Parliament, parties and the people who vote for them."),
    ("business", "Business", "Companies, markets, jobs and the money in your pocket."),
    ("local", "Local", "Our city, its neighbourhoods and the decisions made at town hall."),
    ("sport", "Sport", "Results, transfers and the clubs that keep the weekend busy."),
    ("culture", "Culture", "Stages, screens, books and the arguments about them."),
]

SECTION_COLOURS = {
    "world": (32, 84, 147),
    "politics": (140, 28, 44),
    "business": (22, 110, 84),
    "local": (196, 120, 28),
    "sport": (58, 132, 40),
    "culture": (104, 54, 140),
}

PEOPLE = [
    ("Mara Lindqvist", "Chief correspondent"),
    ("Tobias Renner", "Politics editor"),
    ("Aylin Demir", "Business reporter"),
    ("Jonas Falk", "Local reporter"),
    ("Priya Raman", "Sport writer"),
    ("Élodie Marchand", "Culture critic"),
    ("Kwame Mensah", "World affairs reporter"),
    ("Hanna Novak", "Data reporter"),
]

PLACES = ["Eastbrook", "the river district", "Old Harbour", "Northgate", "the valley towns", "Millbank"]
OFFICIALS = [
    "the mayor",
    "the finance minister",
    "the council's planning chair",
    "a union spokesperson",
    "the regional governor",
]
THINGS = {
    "world": [
        "a border crossing agreement",
        "a shared water treaty",
        "grain shipments",
        "a ceasefire monitoring plan",
        "the new visa rules",
        "a port reopening",
    ],
    "politics": [
        "the budget bill",
        "a new voting map",
        "the coalition's housing plan",
        "lobbying rules",
        "the pension reform",
        "a snap election",
    ],
    "business": [
        "a battery plant",
        "the regional bank merger",
        "wage talks",
        "a startup fund",
        "the bakery chain's expansion",
        "rising office vacancies",
    ],
    "local": [
        "the tram extension",
        "a new library branch",
        "night bus routes",
        "the market square redesign",
        "the school lunch scheme",
        "a riverside cycle path",
    ],
    "sport": [
        "the stadium lease",
        "the youth academy",
        "a late winner",
        "the cup draw",
        "the women's league final",
        "the marathon route",
    ],
    "culture": [
        "the festival programme",
        "a restored cinema",
        "the orchestra's new season",
        "a debut novel",
        "the museum's night openings",
        "a street art trail",
    ],
}
HEADLINES = [
    "{Official} backs {thing} after long night of talks",
    "What {thing} means for {place}",
    "Doubts grow over {thing} as deadline nears",
    "{Place} residents split on {thing}",
    "Five questions about {thing}",
    "Inside the fight over {thing}",
    "{thing_cap} wins approval, with conditions",
    "Why {thing} stalled, and what happens next",
    "The long road to {thing}",
    "{Official} defends {thing} against critics",
]
SENTENCES = [
    "Supporters say {thing} could change daily life in {place} within a year.",
    "Critics argue the plan was rushed and that its costs are still unclear.",
    "{Official} told reporters on {day} that the details would be published this week.",
    "The proposal has been debated for months, and the vote was closer than expected.",
    "Residents who spoke to us described mixed feelings, from relief to frustration.",
    "An independent review last spring found gaps in how the project was planned.",
    "Officials say the first phase will be paid for from existing budgets.",
    "Opposition members asked for more time to read the final text.",
    "Local businesses near {place} expect a busy few months if work begins on schedule.",
    "Similar schemes elsewhere have taken longer and cost more than first promised.",
    "The figures released so far cover only part of the year.",
    "A public meeting is planned for next month, where questions can be put directly.",
    "Observers note that the timetable leaves little room for delays.",
    "Several groups said they would watch closely how the money is spent.",
    "Earlier drafts of the plan were changed twice after complaints from neighbours.",
    "The contract, seen by Newsdesk, runs to more than forty pages.",
    "A spokesperson declined to say when a final decision would be taken.",
    "Some of the promised measures depend on money that has not yet been approved.",
    "People living closest to {place} say they were informed late.",
    "The next step is a review by an outside panel, expected before the summer.",
    "Supporters point to a survey in which most respondents welcomed the idea.",
    "The same question divided the previous council, which left it unresolved.",
    "Experts consulted for this article agreed the risks are manageable but real.",
    "{Official} said the door remained open to changes in the details.",
]
QUOTES = [
    "We listened, we changed the plan, and now we have to deliver it.",
    "Nobody here is against progress. We just want to be asked first.",
    "The numbers work, but only if everyone keeps their promises.",
    "This is a start, not a finish line.",
]
QUOTE_PEOPLE = [
    "Ruth Albers, a resident",
    "Samir Haddad, a shop owner",
    "Lena Vogt, a council member",
    "Oskar Brandt, an economist",
]
TAGS = [
    "transport",
    "housing",
    "budget",
    "elections",
    "energy",
    "jobs",
    "climate",
    "football",
    "theatre",
    "health",
    "schools",
    "trade",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def fill_template(template: str, rng: random.Random, thing: str) -> str:
    """A headline or sentence template with its blanks drawn from the word lists (also generate_archive's)."""
    official = rng.choice(OFFICIALS)
    place = rng.choice(PLACES)
    return template.format(
        thing=thing,
        thing_cap=thing[0].upper() + thing[1:],
        place=place,
        Place=place[0].upper() + place[1:],
        official=official,
        Official=official[0].upper() + official[1:],
        day=rng.choice(DAYS),
    )


def make_image(
    path: Path, *, seed: int, colour: tuple[int, int, int], size: tuple[int, int] = (1200, 675), label: str = ""
) -> Path:
    """A locally drawn picture: a gradient with a few shapes, distinct per seed."""
    rng = random.Random(seed)
    width, height = size
    picture = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    for y in range(0, height, 4):
        shade = tuple(min(255, int(c + (255 - c) * y / height * 0.6)) for c in colour)
        draw.rectangle([0, y, width, y + 4], fill=shade)
    for _ in range(6):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(40, max(41, height // 3))
        tint = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([x - r, y - r, x + r, y + r], outline=tint, width=8)
    if label:
        draw.text(
            (width // 2, height // 2), label, fill=(255, 255, 255), anchor="mm", font_size=min(width, height) // 3
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, "JPEG", quality=82)
    return path


def newsroom_with_sections(
    site_name: str = "Newsdesk", hostname: str = "localhost", port: int = 80
) -> dict[str, SectionPage]:
    newsroom = newsroom_ensure(site_name=site_name, hostname=hostname, port=port)
    return {
        slug: section_ensure(home=newsroom.home, slug=slug, title=title, intro=intro) for slug, title, intro in SECTIONS
    }


class AuthorFactory(factory.django.DjangoModelFactory[Author]):
    class Meta:
        model = Author
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Reporter {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    role = "Reporter"
    bio = factory.LazyAttribute(lambda o: f"{o.name} covers the city and the region for Newsdesk.")


_counter = itertools.count(1)


class PublicationClock:
    """Publication times for articles made without an explicit `published_at`.

    The n-th article is dated `step` x n before a base read from the clock once,
    at the first article after a `reset()`. Reading the clock per article (now
    minus n seconds) let a slow call, on a loaded machine, date a later article
    after an earlier one and reorder every newest-first list. On this grid the
    order is the order of making, however long each call takes, and every
    article is in the past, so `published()` shows it. The tests reset the
    clock before each test (see conftest.py), so each test's articles sit just
    before the moment it made its first one, even under time-machine.
    """

    def __init__(self, step: datetime.timedelta = datetime.timedelta(seconds=1)) -> None:
        self.step = step
        self.reset()

    def reset(self, base: datetime.datetime | None = None) -> None:
        """Start a new grid: below `base`, or below the clock's time at the next article."""
        self._base = base
        self._made = itertools.count(1)

    def next(self) -> datetime.datetime:
        if self._base is None:
            # Whole seconds keep the times readable in failures and in the admin.
            self._base = timezone.now().replace(microsecond=0)
        return self._base - self.step * next(self._made)


publication_clock = PublicationClock()


def article_payload(
    *,
    rng: random.Random | None = None,
    section: str = "local",
    published_at: datetime.datetime | None = None,
    variant: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """One import payload with invented but readable copy.

    Distinct `variant` numbers give distinct headlines within a section.
    """
    number = next(_counter)
    rng = rng or random.Random(number)
    variant = number if variant is None else variant
    things = THINGS.get(section, THINGS["local"])
    thing = things[variant % len(things)]
    headline = fill_template(HEADLINES[(variant * 3) % len(HEADLINES)], rng, thing)
    sentences = rng.sample(SENTENCES, k=18)
    paragraphs: list[Any] = [
        " ".join(fill_template(s, rng, thing) for s in sentences[i : i + 3]) for i in range(0, 18, 3)
    ]
    paragraphs.insert(2, {"type": "quote", "text": rng.choice(QUOTES), "attribution": rng.choice(QUOTE_PEOPLE)})
    # Each new article a step older than the one before, on a grid fixed once: a newest-first
    # order that holds on any machine. An explicit time takes no place on the grid.
    published = published_at or publication_clock.next()
    payload: dict[str, Any] = {
        "external_id": f"demo-{number}-{rng.randrange(10**6)}",
        "headline": headline,
        "standfirst": fill_template("A closer look at {thing} and who it affects in {place}.", rng, thing),
        "body": paragraphs,
        "authors": [rng.choice(PEOPLE)[0]],
        "section": section,
        "tags": rng.sample(TAGS, k=2),
        "published_at": published.isoformat(),
    }
    payload.update(overrides)
    return payload


def create_article(*, base_dir: Path | None = None, **payload_overrides: Any) -> ArticlePage:
    """An article made through the import service, as newsroom scripts make them."""
    return article_import(data=article_payload(**payload_overrides), base_dir=base_dir or Path.cwd())
