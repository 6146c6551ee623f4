"""The WXR builder writes well-formed exports in WordPress's shape; the realistic export is reproducible."""

import filecmp
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from newsdesk.wordpress.tests.wxr import (
    WxrAuthor,
    WxrCategory,
    WxrComment,
    WxrItem,
    WxrTag,
    WxrTerm,
    php_serialize,
    write_wxr,
    wxr_document,
)

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"
SCRIPT = ROOT / "scripts" / "make_wordpress_export.py"


def ns(version: str = "1.2") -> dict[str, str]:
    return {
        "wp": f"http://wordpress.org/export/{version}/",
        "excerpt": f"http://wordpress.org/export/{version}/excerpt/",
        "content": "http://purl.org/rss/1.0/modules/content/",
        "dc": "http://purl.org/dc/elements/1.1/",
    }


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def one_item(version: str = "1.2", **fields: object) -> etree._Element:
    fields.setdefault("title", "Hello")
    root = parse(wxr_document(items=[WxrItem(id=5, **fields)], version=version))  # type: ignore[arg-type]
    return root.find("channel/item")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_namespaces_and_version_follow_the_wxr_version(version):
    root = parse(wxr_document(version=version))
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap["wp"] == f"http://wordpress.org/export/{version}/"
    assert root.nsmap["excerpt"] == f"http://wordpress.org/export/{version}/excerpt/"
    assert root.findtext("channel/wp:wxr_version", namespaces=ns(version)) == version


def test_unknown_version_is_refused():
    with pytest.raises(ValueError):
        wxr_document(version="1.3")


def test_item_defaults_give_slug_permalink_and_dates():
    item = one_item()
    assert item.findtext("title") == "Hello"
    assert item.findtext("wp:post_id", namespaces=ns()) == "5"
    assert item.findtext("wp:post_name", namespaces=ns()) == "hello"
    assert item.findtext("link") == "https://old.example.org/2024/03/05/hello/"
    assert item.findtext("wp:post_date", namespaces=ns()) == "2024-03-05 09:30:00"
    assert item.findtext("wp:post_date_gmt", namespaces=ns()) == "2024-03-05 08:30:00"
    assert item.findtext("wp:post_modified_gmt", namespaces=ns()) == "2024-03-05 08:30:00"
    assert item.findtext("pubDate") == "Tue, 05 Mar 2024 08:30:00 +0000"
    assert item.findtext("dc:creator", namespaces=ns()) == "editor"


def test_a_draft_has_the_zero_gmt_date_and_a_plain_link():
    item = one_item(status="draft", date_gmt=None)
    assert item.findtext("wp:post_date_gmt", namespaces=ns()) == "0000-00-00 00:00:00"
    assert item.findtext("link") == "https://old.example.org/?p=5"


def test_name_none_writes_the_empty_slug_of_an_unpublished_draft():
    assert one_item(status="draft", name=None).findtext("wp:post_name", namespaces=ns()) == ""


def test_any_link_is_accepted():
    assert one_item(link="https://old.example.org/hello/").findtext("link") == "https://old.example.org/hello/"


def test_cdata_end_marker_in_content_survives():
    item = one_item(content="a[b[0]]> 1 & <b>x</b>", excerpt="]]>")
    assert item.findtext("content:encoded", namespaces=ns()) == "a[b[0]]> 1 & <b>x</b>"
    assert item.findtext("excerpt:encoded", namespaces=ns()) == "]]>"


def test_text_outside_cdata_is_escaped():
    root = parse(
        wxr_document(
            title="Salt & <Pepper>",
            items=[WxrItem(id=1, comments=[WxrComment(id=1, url="https://x.example/?a=1&b=2")])],
        )
    )
    assert root.findtext("channel/title") == "Salt & <Pepper>"
    assert (
        root.findtext("channel/item/wp:comment/wp:comment_author_url", namespaces=ns()) == "https://x.example/?a=1&b=2"
    )


def test_terms_are_written_with_their_domains():
    item = one_item(categories=[("news", "News")], tags=[("harbour", "Harbour")], coauthors=[("cap-jdoe", "jdoe")])
    domains = [(c.get("domain"), c.get("nicename"), c.text) for c in item.findall("category")]
    assert domains == [("category", "news", "News"), ("post_tag", "harbour", "Harbour"), ("author", "cap-jdoe", "jdoe")]


def test_channel_lists_authors_categories_tags_and_terms():
    root = parse(
        wxr_document(
            authors=[WxrAuthor(2, "jdoe", display_name="Zoë")],
            categories=[WxrCategory(3, "council", "Council", parent="news")],
            tags=[WxrTag(4, "ferry", "Ferry")],
            terms=[WxrTerm(5, "author", "cap-jdoe", "jdoe")],
        )
    )
    channel = root.find("channel")
    assert channel.findtext("wp:author/wp:author_display_name", namespaces=ns()) == "Zoë"
    assert channel.findtext("wp:category/wp:category_parent", namespaces=ns()) == "news"
    assert channel.findtext("wp:tag/wp:term_id", namespaces=ns()) == "4"
    assert channel.findtext("wp:term/wp:term_taxonomy", namespaces=ns()) == "author"


def test_version_1_0_has_no_authors_terms_or_modified_dates():
    root = parse(
        wxr_document(
            version="1.0",
            authors=[WxrAuthor(2, "jdoe")],
            terms=[WxrTerm(5, "author", "cap-jdoe", "jdoe")],
            tags=[WxrTag(4, "ferry", "Ferry")],
            items=[WxrItem(id=1, tags=[("ferry", "Ferry")])],
        )
    )
    wp = ns("1.0")
    assert root.find("channel/wp:author", namespaces=wp) is None
    assert root.find("channel/wp:term", namespaces=wp) is None
    assert root.find("channel/wp:tag/wp:term_id", namespaces=wp) is None
    assert root.find("channel/item/wp:post_modified", namespaces=wp) is None
    assert root.find("channel/item/category").get("domain") == "tag"


def test_comments_carry_thread_and_status():
    item = one_item(
        comments=[WxrComment(id=7), WxrComment(id=8, parent=7, approved="spam", type="pingback", meta=[("k", "v")])]
    )
    second = item.findall("wp:comment", namespaces=ns())[1]
    assert second.findtext("wp:comment_parent", namespaces=ns()) == "7"
    assert second.findtext("wp:comment_approved", namespaces=ns()) == "spam"
    assert second.findtext("wp:comment_type", namespaces=ns()) == "pingback"
    assert second.findtext("wp:commentmeta/wp:meta_value", namespaces=ns()) == "v"
    assert second.findtext("wp:comment_date", namespaces=ns()) == "2024-03-05 11:30:00"


def test_attachment_has_url_guid_and_attachment_link():
    item = one_item(post_type="attachment", status="inherit", attachment_url="https://old.example.org/a.jpg")
    assert item.findtext("wp:attachment_url", namespaces=ns()) == "https://old.example.org/a.jpg"
    assert item.findtext("guid") == "https://old.example.org/a.jpg"
    assert item.findtext("link") == "https://old.example.org/?attachment_id=5"


def test_non_ascii_title_gives_a_percent_encoded_slug():
    assert (
        one_item(title="Ярмарок").findtext("wp:post_name", namespaces=ns())
        == "%d1%8f%d1%80%d0%bc%d0%b0%d1%80%d0%be%d0%ba"
    )


def test_php_serialize_counts_utf8_bytes():
    serialized = php_serialize({"credit": "Zoë", "sizes": [1, True, None]})
    assert serialized == 'a:2:{s:6:"credit";s:4:"Zoë";s:5:"sizes";a:3:{i:0;i:1;i:1;b:1;i:2;N;}}'


def test_write_wxr_streams_a_generator(tmp_path):
    items = (WxrItem(id=n, title=f"Post {n}", date=datetime(2024, 1, 1, 12, 0)) for n in range(5000))
    path = write_wxr(tmp_path / "big.xml", items=items)
    assert len(etree.parse(str(path)).findall("channel/item")) == 5000


def run_generator(out: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True)


def test_generator_reproduces_the_checked_in_export(tmp_path):
    run_generator(tmp_path / "export.xml")
    assert (tmp_path / "export.xml").read_bytes() == (DATA / "realistic-export.xml").read_bytes()
    comparison = filecmp.dircmp(tmp_path / "uploads", DATA / "uploads")
    assert not comparison.diff_files and not comparison.left_only and not comparison.right_only


def test_realistic_export_leaves_two_files_out_on_purpose():
    root = etree.parse(str(DATA / "realistic-export.xml")).getroot()
    files = [
        m.findtext("wp:meta_value", namespaces=ns())
        for m in root.iterfind(".//wp:postmeta", namespaces=ns())
        if m.findtext("wp:meta_key", namespaces=ns()) == "_wp_attached_file"
    ]
    missing = [f for f in files if not (DATA / "uploads" / f).exists()]
    assert missing == ["2024/04/sports-day-relay.jpg", "2024/04/old-mill-plans.png"]


def test_realistic_export_has_every_post_status():
    root = etree.parse(str(DATA / "realistic-export.xml")).getroot()
    statuses = {i.findtext("wp:status", namespaces=ns()) for i in root.iterfind("channel/item")}
    assert statuses >= {"publish", "draft", "pending", "future", "private", "trash", "auto-draft", "inherit"}
