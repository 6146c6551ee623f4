"""Reading WXR files: what comes out of each version, and every kind of file that is refused."""

from datetime import datetime
from pathlib import Path

import pytest

from newsdesk.wordpress import wxr

from .wxr import WxrAuthor, WxrCategory, WxrComment, WxrItem, WxrTag, WxrTerm, write_wxr


def export(tmp_path: Path, **kwargs: object) -> Path:
    return write_wxr(tmp_path / "export.xml", **kwargs)  # type: ignore[arg-type]


def raw(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


POST = WxrItem(
    id=12,
    title="Bridge reopens",
    name="bridge-reopens",
    content="<p>Traffic flows again.</p>",
    excerpt="The bridge is open.",
    categories=[("local", "Local")],
    tags=[("traffic", "Traffic")],
    coauthors=[("cap-anna", "anna")],
    meta=[("_thumbnail_id", "40"), ("_yoast_wpseo_title", "Bridge %%sep%% %%sitename%%")],
    comments=[WxrComment(id=3, author="Ben", content="Finally!", parent=0)],
)


def test_the_channel_names_the_site_its_authors_and_terms(tmp_path):
    path = export(
        tmp_path,
        items=[POST],
        authors=[WxrAuthor(id=1, login="anna", email="anna@example.org", display_name="Anna Weber")],
        categories=[WxrCategory(id=5, slug="local", name="Local")],
        tags=[WxrTag(id=6, slug="traffic", name="Traffic")],
        terms=[WxrTerm(id=7, taxonomy="author", slug="cap-anna", name="anna")],
    )
    scan = wxr.scan(path)
    channel = scan.channel
    assert (channel.version, channel.base_site_url, channel.title) == (
        "1.2",
        "https://old.example.org",
        "The Old Gazette",
    )
    assert [(author.login, author.display_name, author.email) for author in channel.authors] == [
        ("anna", "Anna Weber", "anna@example.org")
    ]
    assert {(term.taxonomy, term.slug, term.id) for term in channel.terms} == {
        ("category", "local", "5"),
        ("post_tag", "traffic", "6"),
        ("author", "cap-anna", "7"),
    }
    assert scan.items == 1


def test_an_item_comes_out_with_its_terms_meta_and_comments(tmp_path):
    [item] = wxr.items(export(tmp_path, items=[POST]))
    assert (item.post_id, item.post_type, item.status, item.post_name) == ("12", "post", "publish", "bridge-reopens")
    assert item.title == "Bridge reopens"
    assert item.content == "<p>Traffic flows again.</p>"
    assert item.excerpt == "The bridge is open."
    assert item.link == "https://old.example.org/2024/03/05/bridge-reopens/"
    assert (item.post_date, item.post_date_gmt) == ("2024-03-05 09:30:00", "2024-03-05 08:30:00")
    assert [(term.domain, term.slug, term.name) for term in item.terms] == [
        ("category", "local", "Local"),
        ("post_tag", "traffic", "Traffic"),
        ("author", "cap-anna", "anna"),
    ]
    assert item.meta_value("_thumbnail_id") == "40"
    assert item.meta_value("absent") == ""
    assert [(comment.id, comment.author, comment.content, comment.approved) for comment in item.comments] == [
        ("3", "Ben", "Finally!", "1")
    ]


def test_items_come_in_file_order_numbered_from_one(tmp_path):
    path = export(tmp_path, items=[WxrItem(id=number, title=f"Story {number}") for number in (9, 3, 7)])
    assert [(item.position, item.post_id) for item in wxr.items(path)] == [(1, "9"), (2, "3"), (3, "7")]


def test_the_scan_keeps_attachments_for_posts_that_come_before_them(tmp_path):
    picture = WxrItem(
        id=40,
        title="Bridge at dusk",
        post_type="attachment",
        status="inherit",
        parent=12,
        excerpt="The bridge at dusk.",
        attachment_url="https://old.example.org/wp-content/uploads/2024/03/bridge.jpg",
        meta=[("_wp_attached_file", "2024/03/bridge.jpg"), ("_wp_attachment_image_alt", "A lit bridge")],
    )
    scan = wxr.scan(export(tmp_path, items=[POST, picture]))
    attachment = scan.attachments["40"]
    assert (attachment.url, attachment.attached_file, attachment.alt, attachment.caption, attachment.parent) == (
        "https://old.example.org/wp-content/uploads/2024/03/bridge.jpg",
        "2024/03/bridge.jpg",
        "A lit bridge",
        "The bridge at dusk.",
        "12",
    )


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_version_reads_the_same_post(tmp_path, version):
    path = export(tmp_path, version=version, items=[POST], categories=[WxrCategory(id=5, slug="local", name="Local")])
    scan = wxr.scan(path)
    [item] = wxr.items(path)
    assert scan.channel.version == version
    assert (item.post_id, item.title, item.post_name, item.content) == (
        "12",
        "Bridge reopens",
        "bridge-reopens",
        "<p>Traffic flows again.</p>",
    )
    # 1.0 calls tags "tag" and repeats each category without a domain; both read as 1.1 and 1.2 write them.
    assert [(term.domain, term.slug) for term in item.terms if term.domain != "author"] == [
        ("category", "local"),
        ("post_tag", "traffic"),
    ]


def test_version_one_zero_has_no_authors_and_no_modified_dates(tmp_path):
    path = export(tmp_path, version="1.0", items=[POST], authors=[WxrAuthor(id=1, login="anna")])
    [item] = wxr.items(path)
    assert wxr.scan(path).channel.authors == []
    assert item.post_modified_gmt == ""
    assert item.creator == "editor"


def test_a_draft_has_no_gmt_date(tmp_path):
    draft = WxrItem(id=4, title="Not yet", status="draft", date=datetime(2024, 5, 1, 10, 0), date_gmt=None)
    [item] = wxr.items(export(tmp_path, items=[draft]))
    assert (item.status, item.post_date_gmt) == ("draft", "0000-00-00 00:00:00")


def test_cdata_end_markers_inside_text_survive(tmp_path):
    tricky = WxrItem(id=5, title="Brackets", content="<p>a]]>b &amp; <b>c</b></p>")
    [item] = wxr.items(export(tmp_path, items=[tricky]))
    assert item.content == "<p>a]]>b &amp; <b>c</b></p>"


# --- Files that are refused as a whole ------------------------------------------------------


def refused(path: Path) -> str:
    with pytest.raises(wxr.WxrError) as caught:
        wxr.scan(path)
    return str(caught.value)


def test_a_file_cut_short_is_refused_with_where(tmp_path):
    whole = export(tmp_path, items=[POST, WxrItem(id=13, title="Second")]).read_text(encoding="utf-8")
    path = raw(tmp_path, whole[: len(whole) // 2])
    message = refused(path)
    assert "not well-formed XML at line" in message
    assert "cut short" in message


def test_a_file_that_is_not_xml_is_refused(tmp_path):
    message = refused(raw(tmp_path, "title,body\nHello,World\n"))
    assert "not well-formed XML at line 1" in message


def test_an_ordinary_rss_feed_is_not_a_wordpress_export(tmp_path):
    feed = (
        '<?xml version="1.0"?><rss version="2.0">'
        "<channel><title>News</title><item><title>A</title></item></channel></rss>"
    )
    assert "no wp: namespace" in refused(raw(tmp_path, feed))


def test_another_document_is_not_a_wordpress_export(tmp_path):
    assert "not a WordPress export" in refused(raw(tmp_path, '<?xml version="1.0"?><html><body/></html>'))


def test_an_unknown_wxr_version_is_refused_naming_the_versions_read(tmp_path):
    text = export(tmp_path, items=[POST]).read_text(encoding="utf-8").replace("export/1.2/", "export/1.9/")
    message = refused(raw(tmp_path, text))
    assert "unsupported WXR version 1.9" in message
    assert "1.0, 1.1, 1.2" in message


def test_entity_expansion_is_refused(tmp_path):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&c;</title></channel></rss>'
    )
    assert "DTD" in refused(raw(tmp_path, laughs))


def test_an_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    text = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&x;</title></channel></rss>'
    )
    message = refused(raw(tmp_path, text))
    assert "DTD" in message
    assert "password" not in message


def test_an_empty_file_is_refused(tmp_path):
    assert "not well-formed" in refused(raw(tmp_path, "")) or "empty" in refused(raw(tmp_path, ""))


def test_a_missing_file_is_refused(tmp_path):
    assert "cannot read" in refused(tmp_path / "nothing.xml")


def test_a_channel_without_a_site_address_is_refused(tmp_path):
    text = '<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>x</title></channel></rss>'
    assert "names no site" in refused(raw(tmp_path, text))
