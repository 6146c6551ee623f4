"""The WordPress body converter: what it adds to html_blocks, one behaviour each (no database).

How ordinary HTML comes across is tested once, in newsdesk/articles/tests/test_html_blocks.py.
"""

from __future__ import annotations

import pytest

from newsdesk.articles.blocks import ArticleBodyBlock
from newsdesk.articles.tests.test_html_blocks import FakePictures, kinds, parsed, source, texts
from newsdesk.wordpress.body import Body, ImageRef, convert_body


def convert(content: str, *known: int | str) -> Body:
    return convert_body(content, FakePictures(*known))


def block(name: str, inner: str = "", attrs: str = "") -> str:
    attrs = f" {attrs}" if attrs else ""
    return f"<!-- wp:{name}{attrs} -->{inner}<!-- /wp:{name} -->"


# Paragraphs


def test_more_tag_alone_gives_no_blocks():
    assert convert("<!--more-->").blocks == []


def test_classic_blank_line_separates_paragraphs():
    assert texts(convert("First paragraph.\n\nSecond paragraph.")) == ["First paragraph.", "Second paragraph."]


def test_classic_single_newline_is_a_line_break():
    assert source(convert("One line\nnext line").blocks[0]) == "<p>One line<br/>next line</p>"


def test_paragraph_block_newlines_are_spaces():
    body = convert(block("paragraph", "<p>One\nline</p>"))
    assert texts(body) == ["One line"]


# Quotes


def test_quote_block_paragraphs_are_joined_with_a_blank_line():
    inner = block("paragraph", "<p>One.</p>") + block("paragraph", "<p>Two.</p>")
    body = convert(block("quote", f'<blockquote class="wp-block-quote">{inner}<cite>Bob</cite></blockquote>'))
    assert body.blocks == [("quote", {"text": "One.\n\nTwo.", "attribution": "Bob"})]


def test_pullquote_becomes_a_quote():
    html = '<figure class="wp-block-pullquote"><blockquote><p>Loud.</p><cite>Crowd</cite></blockquote></figure>'
    assert convert(block("pullquote", html)).blocks == [("quote", {"text": "Loud.", "attribution": "Crowd"})]


# Pictures


def test_image_class_gives_the_attachment_id_and_alt_is_cleaned():
    pictures = FakePictures()
    convert_body('<img src="/up/a.jpg" class="alignleft wp-image-12" alt="  A\n  dog ">', pictures)
    assert pictures.asked == [ImageRef(attachment_id=12, url="/up/a.jpg", alt="A dog")]


def test_image_block_id_is_used_when_the_img_has_no_class():
    pictures = FakePictures()
    convert_body(block("image", '<figure><img src="/a.jpg"></figure>', '{"id":77}'), pictures)
    assert pictures.asked[0].attachment_id == 77


def test_caption_shortcode_gives_image_with_caption():
    content = (
        '[caption id="attachment_12" align="alignnone" width="300"]'
        '<a href="/a.jpg"><img src="/a.jpg"></a> The harbour[/caption]'
    )
    pictures = FakePictures(12)
    body = convert_body(content, pictures)
    assert body.blocks == [("image", {"image": ("picture", 12), "caption": "The harbour", "credit": "Credit 12"})]
    assert pictures.asked[0].attachment_id == 12


def test_caption_attribute_form_is_read():
    body = convert('[caption id="attachment_3" caption="Old form"]<img src="/a.jpg">[/caption]', 3)
    assert body.blocks[0][1]["caption"] == "Old form"


def test_gallery_shortcode_gives_one_image_per_id():
    pictures = FakePictures(1, 2, 3)
    body = convert_body('[gallery columns="2" ids="1,2,3"]', pictures)
    assert [value["image"] for _, value in body.blocks] == [("picture", 1), ("picture", 2), ("picture", 3)]
    assert pictures.asked == [ImageRef(1, "", ""), ImageRef(2, "", ""), ImageRef(3, "", "")]


def test_gallery_block_with_nested_images_gives_one_image_each():
    images = "".join(
        block(
            "image",
            f'<figure class="wp-block-image"><img src="/{n}.jpg" class="wp-image-{n}"/></figure>',
            f'{{"id":{n}}}',
        )
        for n in (4, 5)
    )
    body = convert(block("gallery", f'<figure class="wp-block-gallery has-nested-images">{images}</figure>'), 4, 5)
    assert kinds(body) == ["image", "image"]


def test_old_gallery_block_list_gives_one_image_each_with_caption():
    items = "".join(
        f'<li class="blocks-gallery-item"><figure><img src="/{n}.jpg" data-id="{n}" class="wp-image-{n}"/>'
        f"<figcaption>Pic {n}</figcaption></figure></li>"
        for n in (7, 8)
    )
    html = f'<figure class="wp-block-gallery"><ul class="blocks-gallery-grid">{items}</ul></figure>'
    body = convert(block("gallery", html, '{"ids":[7,8]}'), 7, 8)
    assert [value["caption"] for _, value in body.blocks] == ["Pic 7", "Pic 8"]


def test_gallery_block_with_only_ids_uses_them():
    body = convert('<!-- wp:gallery {"ids":[9,10]} /-->', 9, 10)
    assert kinds(body) == ["image", "image"]


def test_missing_image_known_only_by_id_is_reported_as_attachment():
    assert convert('[gallery ids="44"]').missing_images == ["attachment 44"]


# Embeds


def test_embed_block_gives_a_link_card_named_after_its_provider():
    html = '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://youtu.be/x\n</div></figure>'
    body = convert(block("embed", html, '{"url":"https://youtu.be/x","providerNameSlug":"youtube"}'))
    assert body.blocks == [("embed", {"url": "https://youtu.be/x", "title": "View on YouTube"})]


def test_embed_block_caption_becomes_the_title():
    html = '<figure class="wp-block-embed"><div>https://vimeo.com/1</div><figcaption>The vote</figcaption></figure>'
    body = convert(block("embed", html, '{"url":"https://vimeo.com/1"}'))
    assert body.blocks == [("embed", {"url": "https://vimeo.com/1", "title": "The vote"})]


def test_old_core_embed_block_is_read():
    html = '<figure class="wp-block-embed-twitter"><div class="wp-block-embed__wrapper">https://twitter.com/a/status/1</div></figure>'
    body = convert(block("core-embed/twitter", html, '{"url":"https://twitter.com/a/status/1"}'))
    assert body.blocks == [("embed", {"url": "https://twitter.com/a/status/1", "title": "View on X (Twitter)"})]


def test_embed_shortcode_gives_a_link_card_named_after_the_host():
    body = convert("[embed]https://www.example.org/story[/embed]")
    assert body.blocks == [("embed", {"url": "https://www.example.org/story", "title": "View on example.org"})]


def test_classic_url_alone_on_its_line_is_embedded():
    body = convert("Watch:\nhttps://youtu.be/abc\nThen read on.")
    assert kinds(body) == ["paragraph", "embed", "paragraph"]


def test_url_inside_a_sentence_stays_text():
    assert kinds(convert("See https://youtu.be/abc for more.")) == ["paragraph"]


def test_paragraph_holding_only_a_url_is_embedded():
    assert kinds(convert(block("paragraph", "<p>https://youtu.be/abc</p>"))) == ["embed"]


def test_embed_url_too_long_for_the_block_becomes_a_link_paragraph():
    url = "https://example.org/" + "a" * 200
    html = parsed(convert(f"[embed]{url}[/embed]").blocks[0])
    assert [link["href"] for link in html.select("p > a")] == [url]


def test_embed_url_that_is_not_http_becomes_a_text_paragraph():
    body = convert(block("embed", "<figure><div>ftp://x.org/f</div></figure>", '{"url":"ftp://x.org/f"}'))
    assert texts(body) == ["ftp://x.org/f"]
    assert parsed(body.blocks[0]).find("a") is None


# Layout and containers


LAYOUT = [
    "<!--more-->",
    "<!--nextpage-->",
    block("more", "<!--more-->"),
    block("nextpage", "<!--nextpage-->"),
    block("separator", '<hr class="wp-block-separator"/>'),
    block("spacer", '<div style="height:100px" class="wp-block-spacer"></div>'),
]


@pytest.mark.parametrize("layout", LAYOUT)
def test_layout_markers_are_dropped(layout):
    body = convert(block("paragraph", "<p>Before</p>") + layout + block("paragraph", "<p>After</p>"))
    assert (texts(body), body.unknown) == (["Before", "After"], [])


def test_columns_and_groups_are_read_through():
    column = block("column", '<div class="wp-block-column">' + block("heading", "<h2>Left</h2>") + "</div>")
    group = block("group", '<div class="wp-block-group">' + block("paragraph", "<p>Inside</p>") + "</div>")
    body = convert(block("columns", f'<div class="wp-block-columns">{column}</div>') + group)
    assert (body.blocks[0], texts(body), body.unknown) == (("heading", "Left"), ["Inside"], [])


def test_custom_html_block_text_is_kept_sanitised():
    body = convert(block("html", '<div onclick="x()"><p>Poll closes <b>Friday</b></p><script>x()</script></div>'))
    assert source(body.blocks[0]) == "<p>Poll closes <b>Friday</b></p>"


@pytest.mark.parametrize("name", ["preformatted", "code", "verse"])
def test_preformatted_text_keeps_its_lines(name):
    body = convert(block(name, f'<pre class="wp-block-{name}">line one\nline &lt;two&gt;</pre>'))
    assert source(body.blocks[0]) == "<p>line one<br/>line &lt;two&gt;</p>"


def test_table_rows_become_paragraphs_and_the_table_is_reported():
    rows = "<tr><th>Party</th><th>Seats</th></tr><tr><td>Greens</td><td>12</td></tr>"
    html = f'<figure class="wp-block-table"><table>{rows}</table></figure>'
    body = convert(block("table", html))
    assert (texts(body), body.unknown) == (["Party \u2013 Seats", "Greens \u2013 12"], ["wp:table"])


# Unknown shortcodes and blocks


def test_unknown_shortcode_is_kept_as_written_and_reported():
    body = convert('Intro.\n\n[contact-form-7 id="12" title="Tips &amp; leads"]')
    assert texts(body) == ["Intro.", '[contact-form-7 id="12" title="Tips & leads"]']
    assert body.unknown == ["[contact-form-7]"]


def test_unknown_enclosing_shortcode_keeps_what_it_wraps():
    body = convert('[one_half]<h3>Left</h3><img src="/a.jpg">[/one_half]', "/a.jpg")
    assert kinds(body) == ["paragraph", "heading", "image", "paragraph"]
    assert (texts(body), body.unknown) == (["[one_half]", "[/one_half]"], ["[one_half]"])


def test_unknown_shortcode_around_plain_text_stays_one_paragraph():
    assert texts(convert("[button link=x]Buy now[/button]")) == ["[button link=x]Buy now[/button]"]


def test_unknown_block_text_is_kept_and_reported():
    body = convert(block("jetpack/slideshow", '<div class="wp-block-jetpack-slideshow"><p>Slide one</p></div>'))
    assert (texts(body), body.unknown) == (["Slide one"], ["wp:jetpack/slideshow"])


def test_self_closing_unknown_block_is_reported():
    assert convert('<!-- wp:latest-posts {"postsToShow":3} /-->').unknown == ["wp:latest-posts"]


def test_unknown_names_are_listed_once_in_order_met():
    body = convert('[toc]\n\n<!-- wp:block {"ref":5} /-->\n\n[toc]\n\n[poll id=1]')
    assert body.unknown == ["[toc]", "wp:block", "[poll]"]


def test_bracketed_word_inside_a_sentence_is_not_a_shortcode():
    body = convert("He said it was [sic] wrong and [laughs] left [1].")
    assert (texts(body), body.unknown) == (["He said it was [sic] wrong and [laughs] left [1]."], [])


def test_bracketed_word_alone_on_its_line_is_a_shortcode():
    assert convert("Intro\n[sitemap]\nOutro").unknown == ["[sitemap]"]


def test_doubled_brackets_show_a_shortcode_as_text():
    body = convert('Type [[gallery ids="1"]] to show pictures.', 1)
    assert (kinds(body), texts(body)) == (["paragraph"], ['Type [gallery ids="1"] to show pictures.'])


def test_brackets_inside_a_tag_attribute_are_not_shortcodes():
    pictures = FakePictures(1)
    body = convert_body('<p><a href="https://x.org" title="[gallery ids=1]">x</a></p>', pictures)
    assert (kinds(body), pictures.asked) == (["paragraph"], [])


# Robustness


def test_bad_block_attributes_are_tolerated():
    body = convert('<!-- wp:image {"id": oops} --><figure><img src="/a.jpg"></figure><!-- /wp:image -->', "/a.jpg")
    assert kinds(body) == ["image"]


def test_block_left_open_is_closed_at_the_end():
    assert texts(convert("<!-- wp:group --><div><p>Still here</p></div>")) == ["Still here"]


def test_stray_block_closer_is_ignored():
    assert texts(convert("<p>Text</p><!-- /wp:group -->")) == ["Text"]


@pytest.mark.parametrize(
    "hostile",
    [
        "[a " * 50000,
        "<!-- wp:group -->" * 20000,
        "[x a=1]" * 5000,
        "[" * 100000,
        "[sic] " * 50000,
        "[x " + "a" * 100000 + "=1]",
        "<!-- wp:x " + "[" * 50000 + " -->",
        "[a x=1]" * 2000 + "[/a]" * 2000,
        "<b>" * 50000 + "[sic]" * 1000,
        "<a" * 50000 + "[x]",
    ],
)
def test_pathological_input_completes(hostile):
    assert isinstance(convert_body(hostile, FakePictures()), Body)


def test_blocks_are_valid_article_body_values():
    content = (
        "Para <b>bold</b> <a href='https://x.org'>link</a>\n\n<h2>Head</h2>\n<ul><li>item</li></ul>\n"
        "<blockquote>Q<cite>Who</cite></blockquote>\n[embed]https://youtu.be/x[/embed]"
    )
    stream = ArticleBodyBlock()
    stream.clean(stream.normalize(convert(content).blocks))


def test_classic_text_between_blocks_keeps_its_paragraphs():
    body = convert(block("heading", "<h2>Head</h2>") + "\n\nFirst.\n\nSecond.\n\n" + block("paragraph", "<p>Last</p>"))
    assert (body.blocks[0], texts(body)) == (("heading", "Head"), ["First.", "Second.", "Last"])


def test_gallery_shortcode_without_ids_is_reported():
    body = convert('[gallery columns="3"]')
    assert (texts(body), body.unknown) == (['[gallery columns="3"]'], ["[gallery]"])


def test_shortcode_inside_a_heading_follows_the_heading():
    body = convert('<h2>Pictures [gallery ids="1"]</h2>', 1)
    assert (body.blocks[0], kinds(body)) == (("heading", "Pictures"), ["heading", "image"])


def test_rendered_caption_div_gives_image_with_caption():
    content = '<div class="wp-caption"><img class="wp-image-3" src="/a.jpg"><p class="wp-caption-text">Cap</p></div>'
    assert convert(content, 3).blocks[0][1]["caption"] == "Cap"


def test_provider_shortcode_with_a_url_becomes_an_embed():
    body = convert("[youtube https://www.youtube.com/watch?v=x]")
    assert (body.blocks, body.unknown) == (
        [("embed", {"url": "https://www.youtube.com/watch?v=x", "title": "View on YouTube"})],
        [],
    )
