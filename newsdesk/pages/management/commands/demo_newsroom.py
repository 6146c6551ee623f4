import datetime
import random
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from newsdesk.ads.factories import make_campaign, make_image_creative
from newsdesk.ads.models import AdSettings, Placement
from newsdesk.articles.demo import add_demo_corrections
from newsdesk.articles.factories import (
    PEOPLE,
    SECTION_COLOURS,
    SECTIONS,
    article_payload,
    make_image,
    newsroom_with_sections,
)
from newsdesk.articles.models import ArticlePage, Author
from newsdesk.articles.services import article_import, author_ensure, image_from_file
from newsdesk.comments.factories import CommentFactory
from newsdesk.comments.models import Comment
from newsdesk.core.roles import EDITORS, WRITERS
from newsdesk.live.demo import add_demo_live_coverage
from newsdesk.newsletters.factories import newsletter_factory
from newsdesk.newsletters.models import Newsletter
from newsdesk.recommendations.factories import must_read_picks, views_rows
from newsdesk.recommendations.services import compute_all_related
from newsdesk.weather.models import WeatherSettings

SEED = 2025
ARTICLES_PER_SECTION = 7
DEMO_PASSWORD = "newsdesk-demo"  # noqa: S105 - printed for the local demo only
READER_COMMENTS = [
    ("Greta M.", "Clear write-up. I would like to know what the second phase costs."),
    ("Paul", "We were at the meeting on Tuesday and it was packed. Good to see it reported."),
    ("Ines K.", "The map in the council papers differs from the one described here. Which is right?"),
]


class Command(BaseCommand):
    help = "Create the demo newsroom (sections, authors, 40+ articles with images, comments, users). Deterministic."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        if ArticlePage.objects.filter(external_id__startswith="demo-").exists():
            self.stdout.write("Demo newsroom already loaded.")
        else:
            # The generated pictures are copied into media by the import; the originals go afterwards.
            with transaction.atomic(), tempfile.TemporaryDirectory(prefix="newsdesk-demo-") as workdir:
                self._load(options["host"], options["port"], Path(workdir))
        self._newsletter()
        add_demo_live_coverage(self.stdout)
        add_demo_corrections(self.stdout)
        self._users(options["host"], options["port"])
        call_command("demo_desk", stdout=self.stdout)

    def _load(self, host: str, port: int, workdir: Path) -> None:
        rng = random.Random(SEED)
        newsroom_with_sections(site_name="Newsdesk", hostname=host, port=port)
        for index, (name, role) in enumerate(PEOPLE):
            initials = "".join(part[0] for part in name.split())
            photo = make_image(
                workdir / f"author-{index}.jpg", seed=index, colour=(60, 64, 72), size=(400, 400), label=initials
            )
            author = author_ensure(name=name, role=role, bio=f"{name} is a {role.lower()} at Newsdesk.")
            author.photo = image_from_file(photo, f"Portrait of {name}")
            author.email = f"{author.slug}@newsdesk.example"
            author.save()
        now = timezone.now()
        number = 0
        articles: list[ArticlePage] = []
        for slug, _title, _intro in SECTIONS:
            for i in range(ARTICLES_PER_SECTION):
                number += 1
                image = make_image(workdir / f"{slug}-{i}.jpg", seed=number, colour=SECTION_COLOURS[slug])
                authors = [rng.choice(PEOPLE)[0]]
                if number % 5 == 0:
                    authors.append(rng.choice([p[0] for p in PEOPLE if p[0] != authors[0]]))
                payload = article_payload(
                    rng=rng,
                    section=slug,
                    variant=i,
                    published_at=now - datetime.timedelta(hours=3 * number + rng.randrange(3)),
                    external_id=f"demo-{slug}-{i}",
                    authors=authors,
                    image={
                        "path": image.name,
                        "caption": f"Illustration for the {slug} desk",
                        "credit": "Newsdesk graphics",
                    },
                )
                article = article_import(data=payload, base_dir=workdir)
                articles.append(article)
                if number <= 6:
                    self._comments(article, number)
        self._moderation_queue(articles[0])
        self._recommendations(articles, rng)
        self._ads(workdir)
        # The reference page's top bar shows Munich; the worker's job fetches the reading.
        WeatherSettings.objects.update_or_create(
            site=Site.objects.get(is_default_site=True), defaults={"location": "Munich", "units": "C", "show": True}
        )
        self.stdout.write(f"Loaded {ArticlePage.objects.count()} articles by {Author.objects.count()} authors.")

    def _ads(self, workdir: Path) -> None:
        """Two invented advertisers filling the reference page's slots, with real alt text."""
        now = timezone.now()
        utility = make_campaign(
            name="Green power switch",
            advertiser="Stadtwerke Musterstadt",
            starts_at=now - datetime.timedelta(days=14),
            ends_at=now + datetime.timedelta(days=60),
            weight=20,
        )
        bakery = make_campaign(
            name="Morning pretzels",
            advertiser="Bäckerei Huber",
            starts_at=now - datetime.timedelta(days=7),
            weight=10,
            on_phone=False,
        )
        make_image_creative(
            utility,
            Placement.ARTICLE_BOTTOM,
            seed=1,
            colour=(24, 120, 84),
            alt_text="Stadtwerke Musterstadt: switch to green power in five minutes, no fee to change",
            target_url="https://stadtwerke.example/green-power",
            workdir=workdir,
        )
        make_image_creative(
            utility,
            Placement.SIDEBAR,
            seed=2,
            colour=(24, 120, 84),
            alt_text="Stadtwerke Musterstadt: green power for your home, switch online today",
            target_url="https://stadtwerke.example/green-power",
            workdir=workdir,
        )
        make_image_creative(
            bakery,
            Placement.SIDEBAR,
            seed=3,
            colour=(170, 110, 40),
            alt_text="Bäckerei Huber: fresh pretzels every morning from 6 o'clock, Marktplatz 3",
            target_url="https://baeckerei-huber.example/",
            workdir=workdir,
        )
        site = Site.objects.get(is_default_site=True)
        ad_settings = AdSettings.for_site(site)
        ad_settings.ads_txt = (
            "# Sellers authorised to sell this site's ad space (demo values)\n"
            "adexchange.example, pub-1234567890, DIRECT\n"
            "contact=ads@newsdesk.example"
        )
        ad_settings.save()

    def _recommendations(self, articles: list[ArticlePage], rng: random.Random) -> None:
        """Editor picks, a week of reading figures, and related articles computed up front."""
        # Three picks from different desks; the last one lapses in a week.
        picks = [articles[8], articles[15], articles[22]]
        week = timezone.now() + datetime.timedelta(days=7)
        must_read_picks(picks, expires_at=[None, None, week])
        for position, article in enumerate(articles[:24]):
            for hours_ago in range(0, 24 * 7, 12):
                views_rows(article, rng.randrange(5, 40) * (1 + (position % 4 == 1) * 3), hours_ago=hours_ago)
        compute_all_related()

    def _moderation_queue(self, article: ArticlePage) -> None:
        """Something for the moderators: a first-time reader held, and a caught spam."""
        CommentFactory(
            article=article,
            name="Jonas Brandt",
            email="jonas.brandt@example.org",
            body="I live on that street. Will the works start before or after the school holidays?",
            status=Comment.Status.PENDING,
            reason="first comment from this name and email",
            created_at=article.first_published_at + datetime.timedelta(hours=2),
        )
        CommentFactory(
            article=article,
            name="Best Deals",
            email="deals@spam.example",
            body="Cheap replica watches, best price, visit https://spam.example/ now",
            status=Comment.Status.SPAM,
            reason="filled in the hidden field robots fill in",
            created_at=article.first_published_at + datetime.timedelta(hours=3),
        )

    def _comments(self, article: ArticlePage, number: int) -> None:
        for offset, (name, body) in enumerate(READER_COMMENTS[: 1 + number % 3]):
            CommentFactory(
                article=article,
                name=name,
                email=f"reader{number}-{offset}@example.org",
                body=body,
                created_at=article.first_published_at + datetime.timedelta(minutes=30 * (offset + 1)),
                status=Comment.Status.APPROVED,
            )

    def _newsletter(self) -> None:
        """The morning briefing readers sign up for; added to a demo loaded before newsletters existed too."""
        if Newsletter.objects.filter(slug="daily").exists():
            return
        newsletter_factory(
            slug="daily",
            name="The Morning Briefing",
            description="What happened overnight and what to watch today, in five minutes. Every morning at seven.",
            sender_name="Newsdesk Morning Briefing",
            sender_email="briefing@newsdesk.example",
            reply_to="desk@newsdesk.example",
            cadence=Newsletter.Cadence.DAILY,
            send_time=datetime.time(7, 0),
            max_items=6,
        )
        self.stdout.write("Newsletter: The Morning Briefing (daily).")

    def _users(self, host: str, port: int) -> None:
        user_model = get_user_model()
        accounts = [
            ("admin", None, True),
            ("editor", EDITORS, False),
            ("editor2", EDITORS, False),
            ("writer", WRITERS, False),
        ]
        for username, group, superuser in accounts:
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@newsdesk.test", "is_staff": True, "is_superuser": superuser},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: http://{host}:{port}/admin/  user: admin  password: {DEMO_PASSWORD}\n"
                f"Also: editor, editor2 (Editors) and writer (Writers), same password."
            )
        )
