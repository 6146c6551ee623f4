"""The HTML to body blocks converter: one behaviour each, with a fake picture resolver (no database).

The WordPress importer builds on it; its own tests (newsdesk/wordpress/tests/test_body.py) use the
helpers below and cover only what WordPress adds.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from newsdesk.articles.blocks import ArticleBodyBlock
from newsdesk.articles.html_blocks import Body, FoundImage, ImageRef, html_to_blocks


class FakePictures:
    """Knows the pictures named by attachment id or URL; remembers what it was asked."""

    def __init__(self, *known: int | str) -> None:
        self.known = {key: FoundImage(image=("picture", key), credit=f"Credit {key}") for key in known}
        self.asked: list[ImageRef] = []

    def __call__(self, ref: ImageRef) -> FoundImage | None:
        self.asked.append(ref)
        return self.known.get(ref.attachment_id) if ref.attachment_id in self.known else self.known.get(ref.url)


def convert(content: str, *known: int | str, line_breaks: bool = False) -> Body:
    return html_to_blocks(content, FakePictures(*known), line_breaks=line_breaks)


def kinds(body: Body) -> list[str]:
    return [kind for kind, _ in body.blocks]


def parsed(block: tuple[str, Any]) -> BeautifulSoup:
    assert block[0] == "paragraph"
    return BeautifulSoup(block[1].source, "html.parser")


def texts(body: Body) -> list[str]:
    return [parsed(block).get_text() for block in body.blocks if block[0] == "paragraph"]


def source(block: tuple[str, Any]) -> str:
    assert block[0] == "paragraph"
    return block[1].source


# Paragraphs and rich text


@pytest.mark.parametrize("content", ["", "   \n\n  ", "<p></p>", "<!-- a comment -->"])
def test_empty_content_gives_no_blocks(content):
    assert convert(content).blocks == []


def test_content_with_paragraph_tags_keeps_its_paragraphs():
    body = convert("<p>One</p>\n<p>Two</p>")
    assert texts(body) == ["One", "Two"]


def test_newlines_are_spaces():
    assert texts(convert("<p>One\nline</p>\n\nloose\n\ntext")) == ["One line", "loose text"]


def test_with_line_breaks_a_blank_line_separates_paragraphs():
    body = convert("First paragraph.\n\nSecond paragraph.", line_breaks=True)
    assert texts(body) == ["First paragraph.", "Second paragraph."]


def test_with_line_breaks_a_single_newline_is_a_line_break():
    assert source(convert("One line\nnext line", line_breaks=True).blocks[0]) == "<p>One line<br/>next line</p>"


def test_strong_and_em_become_b_and_i():
    html = parsed(convert("<strong>Bold</strong> and <em>italic</em>").blocks[0])
    assert [tag.name for tag in html.select("p > *")] == ["b", "i"]


def test_text_is_escaped():
    body = convert("Tom &amp; Jerry &lt;3 and 5 > 4")
    assert source(body.blocks[0]) == "<p>Tom &amp; Jerry &lt;3 and 5 &gt; 4</p>"


def test_characters_xml_forbids_are_removed():
    assert texts(convert("Word\x0bpaste\x00d\ufffe")) == ["Wordpasted"]


def test_script_and_style_are_dropped_with_their_content():
    body = convert("<p>Kept<script>alert(1)</script><style>p{}</style></p>")
    assert texts(body) == ["Kept"]


def test_iframe_and_noscript_fallbacks_are_dropped():
    body = convert("<p>Kept</p><iframe src='https://x.org'>Your browser</iframe><noscript>No JS</noscript>")
    assert texts(body) == ["Kept"]


def test_javascript_link_keeps_only_its_text():
    html = parsed(convert('<a href="javascript:alert(1)">Click</a>').blocks[0])
    assert html.find("a") is None
    assert html.get_text() == "Click"


def test_relative_link_keeps_only_its_text():
    html = parsed(convert('<a href="/about/">About</a>').blocks[0])
    assert html.find("a") is None


@pytest.mark.parametrize("href", ["https://example.org/a?b=1&c=2", "http://example.org", "mailto:desk@example.org"])
def test_http_https_and_mailto_links_are_kept(href):
    html = parsed(convert(f'<a href="{href}">Link</a>').blocks[0])
    assert [link["href"] for link in html.select("a")] == [href]


def test_event_and_style_attributes_are_dropped():
    body = convert('<p onclick="x()" style="color:red"><a href="https://x.org" onmouseover="y()">ok</a></p>')
    assert source(body.blocks[0]) == '<p><a href="https://x.org">ok</a></p>'


def test_other_tags_are_removed_keeping_their_text():
    body = convert("<p><span style='x'>Span</span> <u>under</u> <font>font</font></p>")
    assert source(body.blocks[0]) == "<p>Span under font</p>"


@pytest.mark.parametrize("content", ["<p>&nbsp;</p>", "<p><br></p>", "<p><b> </b></p>"])
def test_empty_paragraphs_make_no_block(content):
    assert convert(content).blocks == []


def test_private_use_characters_in_the_input_inject_nothing():
    assert texts(convert("\ue0000\ue001 text")) == ["0 text"]


def test_a_url_alone_in_its_paragraph_stays_text():
    assert texts(convert("<p>https://youtu.be/abc</p>")) == ["https://youtu.be/abc"]


# Headings, lists, quotes


@pytest.mark.parametrize("level", range(1, 7))
def test_headings_become_heading_blocks(level):
    assert convert(f"<h{level}>Council <b>votes</b></h{level}>").blocks == [("heading", "Council votes")]


def test_heading_is_cut_to_200_characters():
    _, text = convert(f"<h2>{'x' * 300}</h2>").blocks[0]
    assert len(text) == 200


def test_list_becomes_a_paragraph_block_holding_the_list():
    html = parsed(convert("<ul>\n<li>One</li>\n<li><strong>Two</strong></li>\n</ul>").blocks[0])
    assert [li.get_text() for li in html.select("ul > li")] == ["One", "Two"]
    assert html.find("p") is None


def test_ordered_list_keeps_its_links():
    html = parsed(convert('<ol><li><a href="https://x.org">A</a></li></ol>').blocks[0])
    assert [link["href"] for link in html.select("ol > li > a")] == ["https://x.org"]


def test_blockquote_becomes_a_quote_with_its_cite():
    body = convert("<blockquote><p>We will build it.</p><cite>Anna Weber</cite></blockquote>")
    assert body.blocks == [("quote", {"text": "We will build it.", "attribution": "Anna Weber"})]


def test_quote_paragraphs_are_joined_with_a_blank_line():
    body = convert("<blockquote><p>One.</p><p>Two.</p><cite>Bob</cite></blockquote>")
    assert body.blocks == [("quote", {"text": "One.\n\nTwo.", "attribution": "Bob"})]


def test_quote_loses_the_dash_before_its_cite():
    body = convert("<blockquote>Never. — <cite>Her</cite></blockquote>")
    assert body.blocks == [("quote", {"text": "Never.", "attribution": "Her"})]


def test_text_after_a_block_element_starts_a_new_paragraph_of_the_quote():
    body = convert("<blockquote><p>Tweet text</p>&mdash; Someone</blockquote>")
    assert body.blocks[0][1]["text"] == "Tweet text\n\n\u2014 Someone"


def test_pre_keeps_its_lines():
    body = convert("<pre>line one\nline &lt;two&gt;</pre>")
    assert source(body.blocks[0]) == "<p>line one<br/>line &lt;two&gt;</p>"


def test_table_rows_become_paragraphs_and_the_table_is_reported():
    body = convert("<table><tr><th>Party</th><th>Seats</th></tr><tr><td>Greens</td><td>12</td></tr></table>")
    assert (texts(body), body.unknown) == (["Party \u2013 Seats", "Greens \u2013 12"], ["<table>"])


# Pictures


def test_bare_img_becomes_an_image_block_with_the_resolvers_credit():
    body = convert('<img src="https://x.org/a.jpg" alt="A">', "https://x.org/a.jpg")
    assert body.blocks == [
        ("image", {"image": ("picture", "https://x.org/a.jpg"), "caption": "", "credit": "Credit https://x.org/a.jpg"})
    ]


def test_plain_html_names_no_attachment_id_and_alt_is_cleaned():
    pictures = FakePictures()
    html_to_blocks('<img src="/up/a.jpg" class="wp-image-12" data-id="12" alt="  A\n  dog ">', pictures)
    assert pictures.asked == [ImageRef(attachment_id=None, url="/up/a.jpg", alt="A dog")]


def test_figure_caption_becomes_the_image_caption():
    html = '<figure><img src="/a.jpg"><figcaption>The <b>mayor</b></figcaption></figure>'
    (_, value), *_ = convert(html, "/a.jpg").blocks
    assert value["caption"] == "The mayor"


def test_caption_is_cut_to_300_characters():
    body = convert(f'<figure><img src="/a.jpg"><figcaption>{"word " * 100}</figcaption></figure>', "/a.jpg")
    assert len(body.blocks[0][1]["caption"]) == 300


def test_missing_image_is_reported_and_its_caption_kept():
    body = convert('<figure><img src="https://x.org/gone.jpg"><figcaption>Flood at dawn</figcaption></figure>')
    assert body.missing_images == ["https://x.org/gone.jpg"]
    assert texts(body) == ["Flood at dawn"]


def test_missing_image_without_caption_leaves_no_block():
    body = convert('<img src="/gone.jpg">')
    assert (body.blocks, body.missing_images) == ([], ["/gone.jpg"])


def test_missing_images_are_listed_once_each():
    assert convert('<img src="/gone.jpg"><img src="/gone.jpg">').missing_images == ["/gone.jpg"]


def test_img_inside_a_paragraph_splits_it():
    body = convert('<p>Before <img src="/a.jpg"> after</p>', "/a.jpg")
    assert kinds(body) == ["paragraph", "image", "paragraph"]
    assert texts(body) == ["Before", "after"]


def test_img_inside_a_link_comes_across_without_the_link():
    body = convert('<p><a href="https://x.org/big.jpg"><img src="/a.jpg"></a></p>', "/a.jpg")
    assert kinds(body) == ["image"]


def test_picture_inside_a_quote_follows_the_quote():
    body = convert('<blockquote><p>Said.</p><img src="/a.jpg"></blockquote>', "/a.jpg")
    assert kinds(body) == ["quote", "image"]


# Wire copy


WIRE = (
    '<body xmlns="http://www.w3.org/1999/xhtml"><p>BERLIN (dpa) - Der Bundestag hat am Donnerstag'
    " <em>mit knapper Mehrheit</em>\n  den Haushalt beschlossen.</p>"
    "<h2>Opposition kritisiert Schuldenpläne</h2>"
    "<ul><li>Ausgaben: 480 Mrd Euro</li><li>Neue Kredite: 51 Mrd Euro</li></ul>"
    "<blockquote><p>Das ist ein schlechter Tag.</p><cite>Fraktionschefin Anna Weber</cite></blockquote>"
    "<p>(Weitere Berichte folgen.)</p></body>"
)


def test_wire_xhtml_becomes_paragraph_heading_list_quote_in_order():
    body = convert(WIRE)
    assert kinds(body) == ["paragraph", "heading", "paragraph", "quote", "paragraph"]
    assert (body.blocks[1], body.blocks[3]) == (
        ("heading", "Opposition kritisiert Schuldenpläne"),
        ("quote", {"text": "Das ist ein schlechter Tag.", "attribution": "Fraktionschefin Anna Weber"}),
    )


def test_wire_xhtml_lead_keeps_its_emphasis_and_its_wrapped_line_is_one_line():
    lead = parsed(convert(WIRE).blocks[0])
    assert (
        lead.get_text()
        == "BERLIN (dpa) - Der Bundestag hat am Donnerstag mit knapper Mehrheit den Haushalt beschlossen."
    )
    assert [tag.get_text() for tag in lead.select("p > i")] == ["mit knapper Mehrheit"]


def test_hostile_wire_markup_leaves_only_text_and_safe_links():
    body = convert(
        '<p onmouseover="steal()">BERLIN (dpa) - <a href="javascript:steal()">Klick</a>'
        '<script>steal()</script> <a href="https://dpa.com" onclick="steal()">dpa</a></p>'
        '<h2 onload="steal()">Titel<script>steal()</script></h2>'
        '<img src="javascript:steal()" onerror="steal()">'
    )
    lead = parsed(body.blocks[0])
    assert lead.get_text() == "BERLIN (dpa) - Klick dpa"
    assert [tag.attrs for tag in lead.select("*")] == [{}, {"href": "https://dpa.com"}]
    assert body.blocks[1] == ("heading", "Titel")
    assert (kinds(body), body.missing_images) == (["paragraph", "heading"], [])


# Robustness


@pytest.mark.parametrize(
    "hostile",
    [
        "<!--" * 50000,
        "<div>" * 100000 + "deep",
        "<b>" * 100000 + "deep",
        "http://" + "a" * 100000,
        "\n" + " \t" * 50000 + "x",
        "<a" * 50000,
    ],
)
def test_pathological_input_completes(hostile):
    assert isinstance(html_to_blocks(hostile, FakePictures()), Body)


def test_blocks_are_valid_article_body_values():
    content = (
        "<p>Para <b>bold</b> <a href='https://x.org'>link</a></p>\n<h2>Head</h2>\n<ul><li>item</li></ul>\n"
        "<blockquote>Q<cite>Who</cite></blockquote>\n<table><tr><td>a</td></tr></table>"
    )
    stream = ArticleBodyBlock()
    stream.clean(stream.normalize(convert(content).blocks))
