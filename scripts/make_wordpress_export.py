"""Write a realistic WordPress export (WXR 1.2) of "The Old Gazette", a fictional town paper, and its uploads.

    .venv/bin/python scripts/make_wordpress_export.py [--out PATH] [--uploads DIR] [--posts N]
        [--comments-per-post M] [--seed S]

By default it writes newsdesk/wordpress/tests/data/realistic-export.xml and, beside it, uploads/ laid out like
wp-content/uploads (YYYY/MM/name.jpg). The same arguments give byte-identical files (a seeded random.Random, a fixed
export date, images drawn by Pillow without EXIF or timestamps). All text is invented here.

The export holds, with the defaults: 6 authors (one with a non-ASCII name), 9 categories (one a child), 20 tags,
Co-Authors Plus "author" terms; 20 image attachments with alt text, caption, credit and a PHP-serialized
_wp_attachment_metadata; 5 pages (About us, its child Team, Impressum, Contact, a draft Privacy page); posts mixing
classic HTML (blank-line paragraphs, [caption], [gallery], an unknown [contact-form-7], <!--more-->) and block
markup (paragraph, heading, list, quote, image, YouTube embed, gallery, columns, an unknown jetpack block), in
every status (publish, draft, pending, future in 2027, private, trash, auto-draft), Yoast SEO meta, featured
images, nested comment threads with held, spam and trashed comments, a pingback and a trackback, one post with a
Cyrillic (percent-encoded) slug and one whose content holds "]]>". The site's timezone is a fixed UTC+1 (a
WordPress "UTC+1" setting, so no daylight saving): every _gmt date is the local one minus an hour.

Missing on purpose: the files of the last two attachments, 2024/04/sports-day-relay.jpg and
2024/04/old-mill-plans.png, are in the export but not in uploads/, as when a site's files were not all copied.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from newsdesk.wordpress.tests.wxr import (  # noqa: E402
    WxrAuthor,
    WxrCategory,
    WxrComment,
    WxrItem,
    WxrTag,
    WxrTerm,
    php_serialize,
    wp_slug,
    write_wxr,
)

DEFAULT_OUT = ROOT / "newsdesk" / "wordpress" / "tests" / "data" / "realistic-export.xml"
SITE = "https://old.example.org"
UPLOADS_URL = f"{SITE}/wp-content/uploads"
MISSING_FILES = ("2024/04/sports-day-relay.jpg", "2024/04/old-mill-plans.png")

AUTHORS = [
    WxrAuthor(1, "admin", "admin@old.example.org", "Gazette Desk", "", ""),
    WxrAuthor(2, "jdoe", "jane.doe@old.example.org", "Jane Doe", "Jane", "Doe"),
    WxrAuthor(3, "zaberg", "zoe.aberg@old.example.org", "Zoë Åberg-Łukowska", "Zoë", "Åberg-Łukowska"),
    WxrAuthor(4, "tmarsh", "tom.marsh@old.example.org", "Tom Marsh", "Tom", "Marsh"),
    WxrAuthor(5, "pkettle", "priya.kettle@old.example.org", "Priya Kettle", "Priya", "Kettle"),
    WxrAuthor(6, "rbell", "rob.bell@old.example.org", "Rob Bell", "Rob", "Bell"),
]
CATEGORIES = [
    WxrCategory(1, "uncategorized", "Uncategorized"),
    WxrCategory(2, "news", "News"),
    WxrCategory(3, "town-council", "Town Council", parent="news"),
    WxrCategory(4, "sport", "Sport"),
    WxrCategory(5, "culture", "Culture & Arts"),
    WxrCategory(6, "business", "Business"),
    WxrCategory(7, "opinion", "Opinion"),
    WxrCategory(8, "weather", "Weather"),
    WxrCategory(9, "letters", "Letters"),
]
TAG_NAMES = [
    "Harbour",
    "Market Square",
    "Bypass",
    "Allotments",
    "Library",
    "Brass Band",
    "Flood Watch",
    "Cricket",
    "School Run",
    "Bus Route 7",
    "Old Mill",
    "Bakery",
    "Festival",
    "Planning",
    "Lighthouse",
    "Ferry",
    "Rugby",
    "Heritage",
    "Café Culture",
    "Night Market",
]
TAGS = [WxrTag(10 + i, wp_slug(name), name) for i, name in enumerate(TAG_NAMES)]
COAUTHOR_TERMS = [WxrTerm(40 + a.id, "author", f"cap-{a.login}", a.login) for a in AUTHORS[1:]]

PLACES = ["the harbour", "Market Square", "the old mill", "Ferry Lane", "the library", "Kettle Hill", "the pier"]
PEOPLE = ["the mayor", "a local baker", "two councillors", "the harbour master", "pupils of St Aldric's", "volunteers"]
VERBS = ["gathered at", "argued about", "cleaned up", "celebrated at", "repainted", "measured", "reopened"]
TAILS = [
    "on a grey Tuesday morning.",
    "despite the drizzle.",
    "for the first time since 1987.",
    "after a long debate in the chamber.",
    "while the gulls watched.",
    "to the surprise of nobody.",
    "with more enthusiasm than skill.",
    "and promised to return next year.",
]
HEADLINES = [
    "Council votes on {p}",
    "Storm damage at {p}",
    "New café opens near {p}",
    "Brass band returns to {p}",
    "Parking row at {p}",
    "Cricket club wins at {p}",
    "Letters: the trouble with {p}",
    "Lights go up at {p}",
    "Flood barrier tested at {p}",
    "Market traders move to {p}",
]


@dataclass
class Attachment:
    id: int
    file: str  # relative to uploads, e.g. "2024/03/harbour-fog.jpg"
    title: str
    alt: str
    caption: str
    credit: str
    color: tuple[int, int, int]

    @property
    def url(self) -> str:
        return f"{UPLOADS_URL}/{self.file}"

    def sized_url(self, size: str) -> str:
        stem, dot, ext = self.url.rpartition(".")
        return f"{stem}-{size}{dot}{ext}"


ATTACHMENT_NAMES = [
    "harbour-fog",
    "market-square-stalls",
    "old-mill-wheel",
    "brass-band-parade",
    "library-steps",
    "ferry-at-dawn",
    "council-chamber",
    "flooded-lane",
    "bakery-window",
    "cricket-pavilion",
    "lighthouse-lamp",
    "festival-crowd",
    "allotment-gate",
    "bus-route-seven",
    "night-market-lanterns",
    "heritage-plaque",
    "rugby-scrum",
    "pier-benches",
    "sports-day-relay",
    "old-mill-plans",
]
WIDTH, HEIGHT = 160, 107


def make_attachments(rng: random.Random) -> list[Attachment]:
    out = []
    for index, name in enumerate(ATTACHMENT_NAMES):
        month = 1 + index * 4 // len(ATTACHMENT_NAMES)
        ext = "png" if name == "old-mill-plans" or index == 7 else "jpg"
        words = name.replace("-", " ")
        out.append(
            Attachment(
                id=100 + index,
                file=f"2024/{month:02d}/{name}.{ext}",
                title=words.title(),
                alt=f"Photo: {words}",
                caption=f"{words.capitalize()}, as seen by our photographer.",
                credit=rng.choice(["Zoë Åberg-Łukowska", "Tom Marsh", "The Old Gazette", "Reader photo"]),
                color=(rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220)),
            )
        )
    return out


def attachment_item(att: Attachment, author: WxrAuthor) -> WxrItem:
    year, month = (int(part) for part in att.file.split("/")[:2])
    date = datetime(year, month, 3 + att.id % 20, 8, att.id % 60)
    mime = "image/png" if att.file.endswith(".png") else "image/jpeg"
    metadata = {
        "width": WIDTH,
        "height": HEIGHT,
        "file": att.file,
        "filesize": 2048,
        "sizes": {
            "thumbnail": {
                "file": att.sized_url("150x107").rsplit("/", 1)[1],
                "width": 150,
                "height": 107,
                "mime-type": mime,
                "filesize": 1800,
            },
        },
        "image_meta": {
            "aperture": "0",
            "credit": att.credit,
            "camera": "",
            "caption": "",
            "created_timestamp": "0",
            "copyright": "",
            "focal_length": "0",
            "iso": "0",
            "shutter_speed": "0",
            "title": "",
            "orientation": "0",
            "keywords": [],
        },
    }
    return WxrItem(
        id=att.id,
        title=att.title,
        post_type="attachment",
        status="inherit",
        name=wp_slug(att.title),
        date=date,
        creator=author.login,
        excerpt=att.caption,
        attachment_url=att.url,
        comment_status="closed",
        meta=[
            ("_wp_attached_file", att.file),
            ("_wp_attachment_metadata", php_serialize(metadata)),
            ("_wp_attachment_image_alt", att.alt),
        ],
    )


def write_image(att: Attachment, uploads: Path) -> None:
    path = uploads / att.file
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (WIDTH, HEIGHT), att.color)
    draw = ImageDraw.Draw(image)
    r, g, b = att.color
    for band in range(0, HEIGHT, 12):
        draw.rectangle((0, band, WIDTH, band + 5), fill=((r + band) % 256, g, (b + 2 * band) % 256))
    draw.ellipse((WIDTH // 3, HEIGHT // 4, WIDTH // 3 + 40, HEIGHT // 4 + 40), fill=(250, 240, 200))
    if path.suffix == ".png":
        image.save(path, format="PNG", optimize=True)
    else:
        image.save(path, format="JPEG", quality=70)


class Writer:
    """Invented prose and markup from word lists; one Random drives every choice, so a seed fixes the output."""

    def __init__(self, rng: random.Random, attachments: list[Attachment]) -> None:
        self.rng = rng
        self.attachments = attachments

    def sentence(self) -> str:
        r = self.rng
        return f"{r.choice(PEOPLE).capitalize()} {r.choice(VERBS)} {r.choice(PLACES)} {r.choice(TAILS)}"

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def headline(self) -> str:
        return self.rng.choice(HEADLINES).format(p=self.rng.choice(PLACES)).replace(" the ", " The ", 1)

    def classic(self, index: int) -> str:
        r = self.rng
        att = r.choice(self.attachments)
        parts = [self.paragraph(), "<!--more-->", f"{self.paragraph()} <strong>Update:</strong> more soon."]
        if index % 3 == 0:
            parts.append(
                f'[caption id="attachment_{att.id}" align="alignright" width="150"]<img class="size-thumbnail '
                f'wp-image-{att.id}" src="{att.sized_url("150x107")}" alt="{att.alt}" width="150" height="107" />'
                f" {att.caption}[/caption]"
            )
        parts.append(self.paragraph())
        if index % 5 == 0:
            ids = ",".join(str(a.id) for a in r.sample(self.attachments, 3))
            parts.append(f'[gallery ids="{ids}"]')
        if index % 7 == 0:
            parts.append('Write to us:\n[contact-form-7 id="9" title="Letters to the editor"]')
        if index % 4 == 0:
            parts.append(f'<h3>What happens next</h3>\n{self.paragraph()}\nSee <a href="{SITE}/about-us/">us</a>.')
        return "\n\n".join(parts)

    def block(self, index: int) -> str:
        r = self.rng
        att = r.choice(self.attachments)
        k = index // 2  # block posts have odd indexes; k spreads the optional blocks over them
        blocks = [self._p(self.paragraph()), self._heading(self.headline()), self._p(self.paragraph())]
        if k % 2 == 0:
            items = "".join(
                f"<!-- wp:list-item -->\n<li>{self.sentence()}</li>\n<!-- /wp:list-item -->" for _ in range(3)
            )
            blocks.append(f'<!-- wp:list -->\n<ul class="wp-block-list">{items}</ul>\n<!-- /wp:list -->')
        if k % 3 == 0:
            blocks.append(
                '<!-- wp:quote -->\n<blockquote class="wp-block-quote">'
                f"{self._p(self.sentence())}<cite>{r.choice(PEOPLE).capitalize()}</cite></blockquote>\n"
                "<!-- /wp:quote -->"
            )
        blocks.append(self._image(att, caption=att.caption))
        if k % 5 == 0:
            video = "".join(r.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-") for _ in range(11))
            url = f"https://www.youtube.com/watch?v={video}"
            blocks.append(
                f'<!-- wp:embed {{"url":"{url}","type":"video","providerNameSlug":"youtube","responsive":true,'
                '"className":"wp-embed-aspect-16-9 wp-has-aspect-ratio"} -->\n'
                '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube '
                'wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n'
                f"{url}\n</div></figure>\n<!-- /wp:embed -->"
            )
        if k % 4 == 1:
            images = "".join(self._image(a) for a in r.sample(self.attachments, 3))
            blocks.append(
                '<!-- wp:gallery {"linkTo":"none"} -->\n<figure class="wp-block-gallery has-nested-images '
                f'columns-default is-cropped">{images}</figure>\n<!-- /wp:gallery -->'
            )
        if k % 7 == 0:
            columns = "".join(
                f'<!-- wp:column -->\n<div class="wp-block-column">{self._p(self.paragraph())}</div>\n'
                "<!-- /wp:column -->"
                for _ in range(2)
            )
            blocks.append(f'<!-- wp:columns -->\n<div class="wp-block-columns">{columns}</div>\n<!-- /wp:columns -->')
        if k % 11 == 0:
            ids = [a.id for a in r.sample(self.attachments, 2)]
            blocks.append(
                f'<!-- wp:jetpack/slideshow {{"ids":{ids},"sizeSlug":"large"}} -->\n'
                '<div class="wp-block-jetpack-slideshow aligncenter"><div class="wp-block-jetpack-slideshow_container">'
                "</div></div>\n<!-- /wp:jetpack/slideshow -->"
            )
        blocks.append(self._p(self.paragraph()))
        return "\n\n".join(blocks)

    @staticmethod
    def _p(text: str) -> str:
        return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"

    @staticmethod
    def _heading(text: str) -> str:
        return f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{text}</h2>\n<!-- /wp:heading -->'

    @staticmethod
    def _image(att: Attachment, caption: str = "") -> str:
        figcaption = f'<figcaption class="wp-element-caption">{caption}</figcaption>' if caption else ""
        return (
            f'<!-- wp:image {{"id":{att.id},"sizeSlug":"large","linkDestination":"none"}} -->\n'
            f'<figure class="wp-block-image size-large"><img src="{att.url}" alt="{att.alt}" '
            f'class="wp-image-{att.id}"/>{figcaption}</figure>\n<!-- /wp:image -->'
        )


def post_status(index: int) -> str:
    """Mostly published; the rest spread so that every status occurs at least once in 20 posts."""
    statuses = {3: "draft", 7: "pending", 11: "future", 13: "private", 17: "trash", 19: "auto-draft", 9: "draft"}
    return statuses.get(index % 20, "publish")


def comments_for(rng: random.Random, index: int, per_post: int, next_id: Iterator[int]) -> list[WxrComment]:
    """A thread of about per_post comments; every tenth post nests replies three deep, some posts get none."""
    if per_post == 0 or index % 4 == 1:
        return []
    names = ["Margaret Pike", "Dave from Ferry Lane", "Ünal Şahin", "A worried parent", "Old Salt", "Jo"]
    comments: list[WxrComment] = []
    for _ in range(rng.randint(max(1, per_post - 2), per_post + 2)):
        parent = 0
        if comments and rng.random() < 0.4:
            parent = rng.choice(comments).id
        name = rng.choice(names)
        comments.append(
            WxrComment(
                id=next(next_id),
                author=name,
                email=f"{wp_slug(name) or 'reader'}@mail.example.net",
                ip=f"192.0.2.{rng.randrange(1, 255)}",
                content=f"{rng.choice(['Agreed.', 'Not so fast.', 'Well said!', 'Source?'])} {rng.choice(TAILS)}",
                type="comment",
                parent=parent,
            )
        )
    if index % 10 == 0:
        top = comments[0].id
        reply = WxrComment(
            id=next(next_id),
            author="Jane Doe",
            email="jane.doe@old.example.org",
            user_id=2,
            content="Thanks, we have corrected the date.",
            type="comment",
            parent=top,
        )
        deeper = WxrComment(
            id=next(next_id),
            author="Margaret Pike",
            content="Still wrong <em>I think</em>.",
            type="comment",
            parent=reply.id,
        )
        comments += [reply, deeper]
    if index % 8 == 0:
        comments.append(WxrComment(id=next(next_id), author="Held Back", content="First!!", approved="0"))
    if index % 12 == 0:
        comments.append(
            WxrComment(
                id=next(next_id),
                author="Cheap Watches",
                url="https://spam.example.com/watches",
                content="Great post buy watches",
                approved="spam",
                meta=[("akismet_result", "true")],
            )
        )
    if index % 16 == 0:
        comments.append(
            WxrComment(id=next(next_id), author="Grumpy", content="Deleted by the author.", approved="trash")
        )
    return comments


def make_posts(rng: random.Random, writer: Writer, count: int, per_post: int) -> Iterator[WxrItem]:
    comment_ids = iter(range(1, 10**9))
    att_ids = [a.id for a in writer.attachments]
    start = datetime(2023, 1, 2, 7, 0)
    for index in range(count):
        status = post_status(index)
        title = writer.headline()
        date = start + timedelta(days=index * 2, hours=rng.randrange(0, 12), minutes=rng.randrange(60))
        if status == "future":
            date = datetime(2027, 1 + index % 12, 1 + index % 28, 6, 0)
        date_gmt: datetime | None = date - timedelta(hours=1)
        slug = wp_slug(title) + f"-{index}"
        name: str | None = slug
        meta = [("_edit_last", str(rng.randint(1, 6)))]
        if status in ("draft", "pending", "auto-draft"):
            date_gmt, name = None, None  # WordPress stores neither until a draft is first published
        if status == "trash":
            trashed = date + timedelta(days=3) - timedelta(hours=1)
            meta += [
                ("_wp_trash_meta_status", "publish"),
                ("_wp_trash_meta_time", str(int(trashed.replace(tzinfo=UTC).timestamp()))),
                ("_wp_desired_post_slug", slug),
            ]
            name = f"{slug}__trashed"
        if status == "auto-draft":
            title = "Auto Draft"  # WordPress's placeholder for a post opened and never saved
        if index == 5:
            title, name = "Привіт із ярмарку", wp_slug("Привіт із ярмарку")
        category = rng.choice(CATEGORIES[1:])
        if index % 5 != 2:
            meta.append(("_thumbnail_id", str(rng.choice(att_ids))))
        if index % 3 == 0:
            meta += [
                ("_yoast_wpseo_title", f"{title} %%sep%% %%sitename%%"),
                ("_yoast_wpseo_metadesc", writer.sentence()),
            ]
        if index % 25 == 4:
            meta.append(("_yoast_wpseo_canonical", f"https://partner.example.com/story/{index}"))
        if index % 2 == 0:
            meta.append(("_yoast_wpseo_primary_category", str(category.id)))
        content = writer.block(index) if index % 2 else writer.classic(index)
        if status == "auto-draft":
            content = ""
        if index == 8:
            content += "\n\n<pre>if (a[b[0]]> 1) { return; }</pre>"  # "]]>" must survive CDATA
        author = AUTHORS[1 + index % 5]
        coauthors = [(f"cap-{author.login}", author.login)]
        if index % 9 == 0:
            other = AUTHORS[1 + (index + 2) % 5]
            coauthors.append((f"cap-{other.login}", other.login))
        tags = [(t.slug, t.name) for t in rng.sample(TAGS, rng.randint(0, 3))]
        categories = [(category.slug, category.name)]
        if category.parent:
            categories.insert(0, ("news", "News"))
        yield WxrItem(
            id=200 + index,
            title=title,
            status=status,
            name=name,
            date=date,
            date_gmt=date_gmt,
            modified=date + timedelta(days=index % 3),
            creator=author.login,
            content=content,
            excerpt=writer.sentence() if index % 4 == 0 else "",
            categories=categories,
            tags=tags,
            coauthors=coauthors,
            meta=meta,
            comments=comments_for(rng, index, per_post, comment_ids) if status in ("publish", "private") else [],
            sticky=index == 0,
            password="harbour" if index == 15 else "",
        )
    yield from extra_comment_kinds(count, comment_ids)


def extra_comment_kinds(count: int, comment_ids: Iterator[int]) -> Iterator[WxrItem]:
    """One published post with a pingback and a trackback, dated after the others."""
    date = datetime(2024, 5, 20, 10, 0)
    yield WxrItem(
        id=200 + count,
        title="Readers' photos of the spring tide",
        date=date,
        creator="jdoe",
        content="Send us yours.\n\nThe best will appear in print.",
        categories=[("news", "News")],
        coauthors=[("cap-jdoe", "jdoe")],
        comments=[
            WxrComment(
                id=next(comment_ids),
                author="Harbour Watch blog",
                url="https://harbour-watch.example.net/tide/",
                ip="198.51.100.7",
                type="pingback",
                content="[&#8230;] The Old Gazette has pictures [&#8230;]",
            ),
            WxrComment(
                id=next(comment_ids),
                author="Coastal Notes",
                url="https://coastal.example.net/2024/05/tide",
                ip="198.51.100.9",
                type="trackback",
                content="<strong>Spring tide</strong> Nice pictures.",
            ),
        ],
    )


def make_pages(writer: Writer) -> list[WxrItem]:
    date = datetime(2022, 11, 1, 12, 0)
    return [
        WxrItem(
            id=50,
            title="About us",
            post_type="page",
            date=date,
            creator="admin",
            content=writer.classic(1),
            comment_status="closed",
            menu_order=1,
        ),
        WxrItem(
            id=51,
            title="Team",
            post_type="page",
            date=date,
            creator="admin",
            parent=50,
            link=f"{SITE}/about-us/team/",
            content=writer.block(1),
            comment_status="closed",
            menu_order=2,
        ),
        WxrItem(
            id=52,
            title="Impressum",
            post_type="page",
            date=date,
            creator="admin",
            comment_status="closed",
            content="The Old Gazette Ltd\n1 Harbour Row\nOldtown\n\nEditor: Jane Doe",
        ),
        WxrItem(
            id=53,
            title="Contact",
            post_type="page",
            date=date,
            creator="admin",
            comment_status="closed",
            content='Write to us.\n\n[contact-form-7 id="9" title="Contact"]',
        ),
        WxrItem(
            id=54,
            title="Privacy",
            post_type="page",
            status="draft",
            date=date,
            date_gmt=None,
            creator="admin",
            comment_status="closed",
            content=writer.paragraph(),
        ),
    ]


def generate(*, out: Path, uploads: Path, posts: int, comments_per_post: int, seed: int) -> None:
    rng = random.Random(seed)
    attachments = make_attachments(rng)
    writer = Writer(rng, attachments)
    for att in attachments:
        if att.file not in MISSING_FILES:
            write_image(att, uploads)
    photographers = [a for a in AUTHORS if a.login in ("zaberg", "tmarsh")]

    def items() -> Iterator[WxrItem]:
        yield from (attachment_item(att, photographers[att.id % 2]) for att in attachments)
        yield from make_pages(writer)
        yield from make_posts(rng, writer, posts, comments_per_post)

    out.parent.mkdir(parents=True, exist_ok=True)
    write_wxr(
        out, items=items(), authors=AUTHORS, categories=CATEGORIES, tags=TAGS, terms=COAUTHOR_TERMS, site_url=SITE
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--uploads", type=Path, help="default: uploads/ beside --out")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--comments-per-post", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1887)
    args = parser.parse_args(argv)
    generate(
        out=args.out,
        uploads=args.uploads or args.out.parent / "uploads",
        posts=args.posts,
        comments_per_post=args.comments_per_post,
        seed=args.seed,
    )


if __name__ == "__main__":
    main()
