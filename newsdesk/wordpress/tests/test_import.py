"""What the import makes of each part of an export: posts, pages, people, terms, pictures, comments."""

import datetime

import pytest
from taggit.models import Tag
from wagtail.models import WorkflowState

from newsdesk.articles import selectors
from newsdesk.articles.models import ArticlePage, Author, InformationPage, SectionPage
from newsdesk.comments.models import Comment
from newsdesk.wordpress.models import ImportedItem

from .wxr import WxrAuthor, WxrCategory, WxrComment, WxrItem, WxrTag, WxrTerm

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# "Future" posts below are dated in 2030 and 2031; the tests run at a fixed moment before those
# dates so that they stay scheduled whatever year the suite runs in.
BEFORE_THE_FUTURE_POSTS = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def post(**fields):
    defaults = {"id": 10, "title": "Bridge reopens", "content": "<p>Traffic flows again.</p>"}
    return WxrItem(**{**defaults, **fields})


def article(title="Bridge reopens"):
    return ArticlePage.objects.get(title=title)


# --- Posts and their status --------------------------------------------------------------


def test_a_published_post_is_live_at_its_dated_address_with_its_dates(wordpress, client):
    wordpress(
        items=[
            post(
                date=datetime.datetime(2024, 3, 5, 9, 30),
                date_gmt=datetime.datetime(2024, 3, 5, 8, 30),
                modified=datetime.datetime(2024, 3, 6, 11, 0),
                modified_gmt=datetime.datetime(2024, 3, 6, 10, 0),
            )
        ]
    )
    story = article()
    assert story.live
    assert story.first_published_at == datetime.datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert story.last_published_at == datetime.datetime(2024, 3, 6, 10, 0, tzinfo=UTC)
    assert story.dated_path() == "/2024/03/05/bridge-reopens/"
    assert client.get("/2024/03/05/bridge-reopens/").status_code == 200


@pytest.mark.time_machine(BEFORE_THE_FUTURE_POSTS, tick=False)
def test_a_scheduled_post_stays_scheduled(wordpress, client):
    wordpress(items=[post(status="future", date=datetime.datetime(2030, 1, 2, 8, 0))])
    story = article()
    assert not story.live
    assert story.go_live_at == datetime.datetime(2030, 1, 2, 7, 0, tzinfo=UTC)
    assert story not in ArticlePage.objects.published()


@pytest.mark.parametrize("status", ["draft", "pending"])
def test_drafts_and_pending_posts_are_drafts_never_shown(wordpress, status):
    wordpress(items=[post(status=status, date_gmt=None, name=None)])
    story = article()
    assert not story.live
    assert story.get_latest_revision() is not None
    assert not ArticlePage.objects.published().exists()


def test_a_pending_post_awaits_review(wordpress):
    wordpress(items=[post(status="pending", date_gmt=None)])
    assert WorkflowState.objects.filter(object_id=str(article().pk), status="in_progress").exists()


def test_a_private_post_is_not_public_and_the_report_says_why(wordpress):
    report = wordpress(items=[post(status="private")])
    assert not article().live
    assert any("private" in note["note"] for note in report.notes)


def test_a_password_protected_post_is_not_public(wordpress):
    report = wordpress(items=[post(password="secret")])
    assert not article().live
    assert any("password" in note["note"] for note in report.notes)


@pytest.mark.parametrize("status", ["trash", "auto-draft"])
def test_trash_and_auto_drafts_are_skipped_and_counted(wordpress, status):
    report = wordpress(items=[post(status=status)])
    assert not ArticlePage.objects.filter(title="Bridge reopens").exists()
    assert report.counts["post"]["skipped"] == 1
    assert report.skip_reasons["post"][f"status {status}"] == 1


def test_other_post_types_are_skipped_and_counted(wordpress):
    report = wordpress(items=[post(post_type="nav_menu_item", title="Menu")])
    assert report.skip_reasons["other"]["post type nav_menu_item is not imported"] == 1


def test_the_excerpt_becomes_the_standfirst(wordpress):
    wordpress(items=[post(excerpt="The <b>bridge</b> is open &amp; busy.")])
    assert article().standfirst == "The bridge is open & busy."


def test_without_an_excerpt_the_standfirst_is_the_opening_words(wordpress):
    words = " ".join(f"word{number}" for number in range(80))
    wordpress(items=[post(content=f"<p>{words}</p>")])
    standfirst = article().standfirst
    assert standfirst.startswith("word0 word1")
    assert "word54" in standfirst
    assert "word55" not in standfirst


def test_closed_comments_stay_closed(wordpress):
    wordpress(items=[post(comment_status="closed")])
    assert not article().comments_open


def test_the_body_comes_across_as_blocks(wordpress):
    wordpress(items=[post(content="<!-- wp:heading --><h2>What next</h2><!-- /wp:heading -->\n\nFirst line.")])
    types = [block.block_type for block in article().body]
    assert types == ["heading", "paragraph"]


def test_hostile_markup_is_sanitised(wordpress, client):
    wordpress(
        items=[post(title="<script>alert(1)</script>Bridge", content='<p onclick="x()">Hi<script>bad()</script></p>')]
    )
    story = ArticlePage.objects.get()
    response = client.get(story.dated_path())
    assert b"<script>alert(1)" not in response.content
    assert b"bad()" not in response.content
    assert b"onclick" not in response.content


# --- People, sections, tags, SEO -----------------------------------------------------------


def test_the_author_comes_across_with_a_private_email(wordpress, client):
    wordpress(
        authors=[WxrAuthor(id=2, login="aweber", email="anna@example.org", display_name="Anna Weber")],
        items=[post(creator="aweber")],
    )
    author = Author.objects.get(slug="aweber")
    assert (author.name, author.email) == ("Anna Weber", "anna@example.org")
    assert article().authors == [author]
    assert b"anna@example.org" not in client.get(article().dated_path()).content


def test_co_authors_make_the_byline_in_their_order(wordpress):
    wordpress(
        authors=[WxrAuthor(id=2, login="aweber", display_name="Anna Weber"), WxrAuthor(id=3, login="bkoch")],
        terms=[WxrTerm(id=8, taxonomy="author", slug="cap-guest-jo", name="Jo Guest")],
        items=[
            post(
                creator="aweber",
                coauthors=[("cap-bkoch", "bkoch"), ("cap-aweber", "aweber"), ("cap-guest-jo", "Jo Guest")],
            )
        ],
    )
    assert [author.slug for author in article().authors] == ["bkoch", "aweber", "guest-jo"]
    assert Author.objects.get(slug="guest-jo").name == "Jo Guest"


def test_a_login_known_only_from_dc_creator_becomes_an_author(wordpress):
    wordpress(version="1.0", items=[post(creator="oldhand")])
    assert [author.name for author in article().authors] == ["oldhand"]


def test_categories_become_sections_and_yoast_picks_the_primary(wordpress):
    wordpress(
        categories=[WxrCategory(id=5, slug="harbour", name="Harbour"), WxrCategory(id=6, slug="roads", name="Roads")],
        items=[
            post(categories=[("harbour", "Harbour"), ("roads", "Roads")], meta=[("_yoast_wpseo_primary_category", "6")])
        ],
    )
    story = article()
    assert story.primary_section.slug == "roads"
    assert [section.slug for section in story.extra_sections.all()] == ["harbour"]
    assert SectionPage.objects.get(slug="harbour").live


def test_without_yoast_the_first_category_is_primary(wordpress):
    wordpress(
        categories=[WxrCategory(id=5, slug="harbour", name="Harbour"), WxrCategory(id=6, slug="roads", name="Roads")],
        items=[post(categories=[("harbour", "Harbour"), ("roads", "Roads")])],
    )
    assert article().primary_section.slug == "harbour"


def test_a_category_that_matches_a_section_uses_it(wordpress):
    wordpress(
        categories=[WxrCategory(id=5, slug="local", name="Local news")],
        items=[post(categories=[("local", "Local news")])],
    )
    assert article().primary_section.title == "Local"
    assert SectionPage.objects.filter(slug="local").count() == 1


def test_tags_become_tags(wordpress):
    wordpress(tags=[WxrTag(id=7, slug="traffic", name="Traffic")], items=[post(tags=[("traffic", "Traffic")])])
    assert [tag.name for tag in article().tags.all()] == ["Traffic"]
    assert Tag.objects.get(slug="traffic")


def test_a_tag_lists_imported_posts_by_their_wordpress_dates(wordpress):
    # Imported newest first: the tag's rows must carry WordPress's dates, not the order of import.
    wordpress(
        tags=[WxrTag(id=7, slug="traffic", name="Traffic")],
        items=[
            post(
                id=n,
                title=f"Post of {year}",
                date_gmt=datetime.datetime(year, 5, 1, 8, 0),
                tags=[("traffic", "Traffic")],
            )
            for n, year in ((11, 2023), (12, 2019), (13, 2021))
        ],
    )
    listed = selectors.tag_articles(Tag.objects.get(slug="traffic"))
    assert [story.title for story in listed] == ["Post of 2023", "Post of 2021", "Post of 2019"]
    assert [story.listed_at.year for story in listed] == [2023, 2021, 2019]


def test_yoast_title_description_and_canonical_come_across(wordpress):
    wordpress(
        items=[
            post(
                meta=[
                    ("_yoast_wpseo_title", "%%title%% %%sep%% %%sitename%%"),
                    ("_yoast_wpseo_metadesc", "All about the bridge."),
                    ("_yoast_wpseo_canonical", "https://partner.example.net/bridge"),
                ]
            )
        ]
    )
    story = article()
    assert story.seo_title == "Bridge reopens \u2013 Newsdesk"
    assert story.search_description == "All about the bridge."
    assert story.canonical_url == "https://partner.example.net/bridge"


def test_a_canonical_that_is_not_a_web_address_is_dropped(wordpress):
    wordpress(items=[post(meta=[("_yoast_wpseo_canonical", "javascript:alert(1)")])])
    assert article().canonical_url == ""


# --- Pages ---------------------------------------------------------------------------------


def test_a_page_answers_at_its_old_path(wordpress, client):
    wordpress(items=[WxrItem(id=2, title="Impressum", post_type="page", content="<p>Who we are.</p>")])
    page = InformationPage.objects.get(title="Impressum")
    assert page.url == "/impressum/"
    assert client.get("/impressum/").status_code == 200


def test_a_child_page_that_comes_before_its_parent_lands_under_it(wordpress, client):
    wordpress(
        items=[
            WxrItem(id=3, title="Team", post_type="page", parent=2, link="https://old.example.org/about-us/team/"),
            WxrItem(id=2, title="About us", post_type="page"),
        ]
    )
    assert InformationPage.objects.get(title="Team").url == "/about-us/team/"
    assert client.get("/about-us/team/").status_code == 200


# --- Comments ------------------------------------------------------------------------------


def test_comments_keep_their_threads_states_and_dates(wordpress):
    wordpress(
        items=[
            post(
                comments=[
                    WxrComment(id=3, parent=2, author="Cleo", content="Reply to Ben."),
                    WxrComment(
                        id=2,
                        author="Ben",
                        email="ben@example.org",
                        url="https://ben.example.org",
                        content="First!",
                        date_gmt=datetime.datetime(2024, 3, 5, 12, 0),
                    ),
                    WxrComment(id=4, author="Held", approved="0"),
                    WxrComment(id=5, author="Spammer", approved="spam"),
                    WxrComment(id=6, author="Binned", approved="trash"),
                ]
            )
        ]
    )
    story = article()
    ben = Comment.objects.get(name="Ben")
    assert (ben.email, ben.website, ben.status) == ("ben@example.org", "https://ben.example.org", "approved")
    assert ben.created_at == datetime.datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
    assert Comment.objects.get(name="Cleo").parent == ben
    statuses = dict(Comment.objects.filter(article=story).values_list("name", "status"))
    assert statuses == {"Ben": "approved", "Cleo": "approved", "Held": "pending", "Spammer": "spam", "Binned": "trash"}


def test_pingbacks_and_trackbacks_are_skipped_and_counted(wordpress):
    report = wordpress(
        items=[post(comments=[WxrComment(id=7, type="pingback"), WxrComment(id=8, type="trackback"), WxrComment(id=9)])]
    )
    assert Comment.objects.count() == 1
    assert (report.skip_reasons["comment"]["pingback"], report.skip_reasons["comment"]["trackback"]) == (1, 1)


def test_threads_deeper_than_the_site_shows_join_its_deepest_level(wordpress):
    chain = [
        WxrComment(id=number, parent=number - 1 if number > 1 else 0, author=f"C{number}") for number in range(1, 9)
    ]
    wordpress(items=[post(comments=chain)])
    assert max(Comment.objects.values_list("depth", flat=True)) == 5
    parent = Comment.objects.get(name="C8").parent
    assert parent is not None
    assert parent.depth == 4


def test_only_approved_comments_are_shown(wordpress, client):
    wordpress(
        items=[
            post(
                comments=[WxrComment(id=1, content="Shown words"), WxrComment(id=2, approved="0", content="Held words")]
            )
        ]
    )
    html = client.get(article().dated_path()).content.decode()
    assert "Shown words" in html
    assert "Held words" not in html


def test_a_comment_with_bad_contact_details_keeps_its_words(wordpress):
    wordpress(
        items=[
            post(comments=[WxrComment(id=1, email="not an email", url="javascript:x", ip="999.1.1.1", content="Words")])
        ]
    )
    comment = Comment.objects.get()
    assert (comment.email, comment.website, comment.ip_address, comment.body) == ("", "", None, "Words")


# --- Pictures -------------------------------------------------------------------------------

ATTACHMENT = WxrItem(
    id=40,
    title="Bridge at dusk",
    post_type="attachment",
    status="inherit",
    parent=10,
    excerpt="The bridge at dusk.",
    attachment_url="https://old.example.org/wp-content/uploads/2024/03/bridge.jpg",
    meta=[
        ("_wp_attached_file", "2024/03/bridge.jpg"),
        ("_wp_attachment_image_alt", "A lit bridge over dark water"),
        ("_wp_attachment_metadata", 'a:1:{s:10:"image_meta";a:1:{s:6:"credit";s:10:"Jo Fischer";}}'),
    ],
)


def test_the_featured_image_comes_from_the_uploads_folder(wordpress, uploads):
    wordpress(uploads=uploads, items=[post(meta=[("_thumbnail_id", "40")]), ATTACHMENT])
    story = article()
    assert story.lead_image is not None
    assert story.lead_image.description == "A lit bridge over dark water"
    assert (story.lead_image_caption, story.lead_image_credit) == ("The bridge at dusk.", "Jo Fischer")


def test_a_resized_copy_in_the_body_finds_its_original(wordpress, uploads):
    content = (
        '<img class="wp-image-99" src="https://old.example.org/wp-content/uploads/2024/03/bridge-300x200.jpg" alt="x">'
    )
    report = wordpress(uploads=uploads, items=[post(content=content)])
    assert [block.block_type for block in article().body] == ["image"]
    assert report.missing_pictures == []


def test_a_missing_picture_leaves_the_article_imported_with_the_gap_reported(wordpress, tmp_path):
    empty = tmp_path / "empty-uploads"
    empty.mkdir()
    report = wordpress(uploads=empty, items=[post(meta=[("_thumbnail_id", "40")]), ATTACHMENT])
    assert article().lead_image is None
    assert report.missing_pictures[0]["picture"].endswith("bridge.jpg")


def test_an_uploads_path_cannot_climb_out_of_the_folder(wordpress, uploads, tmp_path):
    (tmp_path / "secret.jpg").write_bytes((uploads / "2024" / "03" / "bridge.jpg").read_bytes())
    sneaky = WxrItem(
        id=41,
        post_type="attachment",
        status="inherit",
        attachment_url="",
        meta=[("_wp_attached_file", "../secret.jpg")],
    )
    report = wordpress(uploads=uploads, items=[post(meta=[("_thumbnail_id", "41")]), sneaky])
    assert article().lead_image is None
    assert report.missing_pictures


def test_an_attachment_no_post_shows_is_still_imported(wordpress, uploads):
    report = wordpress(uploads=uploads, items=[ATTACHMENT])
    assert report.counts["attachment"]["created"] == 1
    assert ImportedItem.objects.filter(kind="attachment", wp_id="40").exists()


# --- Dates and bad items -------------------------------------------------------------------


def test_an_item_with_an_invalid_date_is_skipped_and_the_rest_imported(wordpress, tmp_path):
    from .wxr import write_wxr

    path = write_wxr(tmp_path / "x.xml", items=[post(id=1, title="Good"), post(id=2, title="Bad date")])
    text = path.read_text(encoding="utf-8").replace("2024-03-05 08:30:00", "2024-13-45 08:30:00", 2)
    path.write_text(text, encoding="utf-8")
    from newsdesk.wordpress.services import import_export

    report = import_export(path)
    assert ArticlePage.objects.filter(title="Bad date").exists() != ArticlePage.objects.filter(title="Good").exists()
    [problem] = report.problems
    assert "invalid post_date_gmt" in problem["problem"]


def test_a_slug_another_article_has_is_a_reported_clash(wordpress, article_factory):
    existing = article_factory(headline="Bridge reopens")
    report = wordpress(items=[post(name=existing.slug)])
    assert ArticlePage.objects.filter(title="Bridge reopens").count() == 1
    assert "slug clash" in report.problems[0]["problem"]
    assert report.problems[0]["item"].startswith("post 10")


@pytest.mark.time_machine(BEFORE_THE_FUTURE_POSTS, tick=False)
def test_a_future_dated_published_post_is_scheduled_not_shown_early(wordpress):
    wordpress(items=[post(date=datetime.datetime(2031, 1, 1, 9, 0))])
    assert not ArticlePage.objects.published().exists()
    assert article().go_live_at == datetime.datetime(2031, 1, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_exports_import_the_same_way(wordpress, client, version):
    wordpress(
        version=version,
        authors=[WxrAuthor(id=2, login="aweber", display_name="Anna Weber")],
        categories=[WxrCategory(id=5, slug="harbour", name="Harbour")],
        items=[post(creator="aweber", categories=[("harbour", "Harbour")], tags=[("traffic", "Traffic")])],
    )
    story = article()
    assert story.live
    assert story.primary_section.slug == "harbour"
    assert [tag.slug for tag in story.tags.all()] == ["traffic"]
    assert client.get(story.dated_path()).status_code == 200
