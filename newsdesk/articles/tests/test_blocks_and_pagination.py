"""Body blocks' validation and rendering, and `paginate`'s answer to odd page numbers."""

import pytest
from bs4 import BeautifulSoup
from django.http import Http404
from django.test import RequestFactory
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from newsdesk.articles.blocks import ArticleBodyBlock, EmbedLinkBlock, QuoteBlock
from newsdesk.articles.pagination import paginate


def clean_struct(block, value):
    return block.clean(block.to_python(value))


# --- blocks ------------------------------------------------------------------------


def test_a_quote_needs_its_text():
    with pytest.raises(StructBlockValidationError) as error:
        clean_struct(QuoteBlock(), {"text": "", "attribution": "Someone"})
    assert list(error.value.block_errors) == ["text"]


def test_a_quote_attribution_is_at_most_200_characters():
    with pytest.raises(StructBlockValidationError) as error:
        clean_struct(QuoteBlock(), {"text": "Said.", "attribution": "x" * 201})
    assert list(error.value.block_errors) == ["attribution"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url", ""])
def test_an_embed_needs_a_web_address(url):
    with pytest.raises(StructBlockValidationError) as error:
        clean_struct(EmbedLinkBlock(), {"url": url, "title": "The vote"})
    assert list(error.value.block_errors) == ["url"]


def test_an_embed_needs_a_title():
    with pytest.raises(StructBlockValidationError) as error:
        clean_struct(EmbedLinkBlock(), {"url": "https://video.example/1", "title": ""})
    assert list(error.value.block_errors) == ["title"]


def test_a_heading_is_at_most_200_characters():
    body = ArticleBodyBlock()
    with pytest.raises(StreamBlockValidationError):
        body.clean(body.to_python([{"type": "heading", "value": "h" * 201}]))


def test_body_offers_exactly_the_newsroom_blocks():
    assert list(ArticleBodyBlock().child_blocks) == ["paragraph", "heading", "quote", "image", "embed", "ad_slot"]


def test_an_embed_renders_a_plain_link_and_loads_nothing():
    html = BeautifulSoup(
        str(EmbedLinkBlock().render({"url": "https://video.example/1", "title": "The <vote>"})), "html.parser"
    )
    link = html.select_one("p.embed-link a")
    assert link is not None
    assert (link["href"], link.get_text(), link["rel"]) == ("https://video.example/1", "The <vote>", ["noopener"])
    assert html.find(["iframe", "script", "img"]) is None


def test_a_quote_without_attribution_has_no_caption():
    html = BeautifulSoup(str(QuoteBlock().render({"text": "One\ntwo", "attribution": ""})), "html.parser")
    assert html.figcaption is None
    quote = html.blockquote
    assert quote is not None
    assert [line.strip() for line in quote.stripped_strings] == ["One", "two"]
    assert quote.find("br") is not None


# --- pagination --------------------------------------------------------------------


def page_of(items, query, per_page=2):
    return paginate(RequestFactory().get("/list/", query), items, per_page=per_page)


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", " 1", "", "²", "\u0661"])
def test_anything_but_a_page_number_is_not_found(raw):
    # Found by these tests: "²" is a digit to str.isdigit() but not to int(), so it was a server error.
    with pytest.raises(Http404):
        page_of([1, 2, 3], {"page": raw})


def test_no_page_asked_for_is_the_first():
    assert list(page_of([1, 2, 3], {})) == [1, 2]


def test_the_last_page_holds_the_rest():
    assert list(page_of([1, 2, 3], {"page": "2"})) == [3]


def test_a_page_past_the_end_is_not_found():
    with pytest.raises(Http404):
        page_of([1, 2, 3], {"page": "3"})


def test_an_empty_list_has_an_empty_first_page_and_nothing_after():
    assert list(page_of([], {"page": "1"})) == []
    with pytest.raises(Http404):
        page_of([], {"page": "2"})


def test_page_size_defaults_to_the_setting(settings):
    settings.NEWSDESK_PAGE_SIZE = 4
    page = paginate(RequestFactory().get("/list/"), list(range(10)))
    assert (list(page), page.paginator.num_pages) == ([0, 1, 2, 3], 3)


def test_a_huge_page_number_is_not_found_not_an_error():
    with pytest.raises(Http404):
        page_of([1, 2, 3], {"page": "9" * 40})
