import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(article_factory, settings):
    settings.NEWSDESK_PAGE_SIZE = 2
    return [
        article_factory(headline=f"Story {n}", section="local", authors=["Jonas Falk"], tags=["housing"])
        for n in range(5)
    ]


@pytest.mark.parametrize("base", ["/local/", "/authors/jonas-falk/", "/tags/housing/", "/articles/"])
@pytest.mark.parametrize("page", ["abc", "0", "-1", "4", "999999999999999999999", "1.5", ""])
def test_bad_or_out_of_range_pages_are_404(client, many, base, page):
    assert client.get(base, {"page": page}).status_code == 404


@pytest.mark.usefixtures("clock_speed")  # made in order, so newest first is Story 0 first, on any machine
@pytest.mark.parametrize("base", ["/local/", "/authors/jonas-falk/", "/tags/housing/", "/articles/"])
def test_pages_split_the_list_newest_first(client, many, base, soup):
    first = [a.get_text() for a in soup(client.get(base)).select(".teaser__title a")]
    third = [a.get_text() for a in soup(client.get(base, {"page": 3})).select(".teaser__title a")]
    assert first == ["Story 0", "Story 1"]
    assert third == ["Story 4"]


def test_later_pages_are_noindex(client, many, soup):
    assert soup(client.get("/local/", {"page": 2})).select_one("meta[name=robots]")["content"] == "noindex, follow"
    assert soup(client.get("/local/")).select_one("meta[name=robots]") is None


def test_section_lists_articles_with_it_as_extra_section(client, article_factory, sections, soup):
    article = article_factory(headline="Cross-filed", section="business")
    article.extra_sections.add(sections["local"])
    article.save_revision().publish()
    titles = [a.get_text() for a in soup(client.get("/local/")).select(".teaser__title a")]
    assert titles == ["Cross-filed"]


def test_author_page_shows_author_and_their_articles_only(client, article_factory, soup):
    article_factory(headline="Mine", authors=["Jonas Falk"])
    article_factory(headline="Someone else's", authors=["Priya Raman"])
    page = soup(client.get("/authors/jonas-falk/"))
    assert page.h1.get_text() == "Jonas Falk"
    assert [a.get_text() for a in page.select(".teaser__title a")] == ["Mine"]


def test_unknown_author_and_tag_are_404(client, sections):
    assert client.get("/authors/nobody/").status_code == 404
    assert client.get("/tags/nothing/").status_code == 404


def test_home_has_lead_story_section_rows_and_latest(client, article_factory, soup):
    lead = article_factory(headline="Top story", section="world")
    for n in range(3):
        article_factory(headline=f"Sport {n}", section="sport")
    page = soup(client.get("/"))
    assert page.select_one(".lead-story .teaser__title a").get_text() == "Top story"
    rows = {
        row.h2.get_text(strip=True): [a.get_text() for a in row.select(".teaser__title a")]
        for row in page.select(".section-row")
    }
    assert rows == {"Sport": ["Sport 0", "Sport 1", "Sport 2"]}
    assert lead.url not in [a["href"] for a in page.select(".section-row a")]
    assert len(page.select(".list-block--latest .teaser")) == 3


def test_menu_lists_sections_and_follows_changes(client, sections, soup):
    names = [a.get_text() for a in soup(client.get("/")).select(".site-header nav a")]
    assert names == ["World", "Politics", "Business", "Local", "Sport", "Culture"]
    sections["sport"].unpublish()
    names = [a.get_text() for a in soup(client.get("/")).select(".site-header nav a")]
    assert "Sport" not in names
