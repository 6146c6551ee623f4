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


@pytest.mark.usefixtures("clock_speed")
@pytest.mark.parametrize("base", ["/local/", "/authors/jonas-falk/", "/tags/housing/", "/articles/"])
def test_older_links_carry_a_position_and_lead_through_the_whole_list(client, many, base, soup):
    seen, page, hrefs = [], soup(client.get(base)), []
    while True:
        seen += [a.get_text() for a in page.select(".teaser__title a")]
        older = page.select_one(".pagination a[rel=next]")
        if older is None:
            break
        hrefs.append(older["href"])
        page = soup(client.get(base + older["href"]))
    assert seen == [f"Story {n}" for n in range(5)]
    assert [href.split("&")[0] for href in hrefs] == ["?page=2", "?page=3"]
    assert all("&before=" in href for href in hrefs)


def test_a_position_page_names_its_position_in_its_canonical_link(client, many, soup):
    older = soup(client.get("/local/")).select_one(".pagination a[rel=next]")["href"]
    second = soup(client.get("/local/" + older))
    assert second.select_one("link[rel=canonical]")["href"] == "http://testserver/local/" + older
    assert second.select_one("meta[name=robots]")["content"] == "noindex, follow"
    assert second.select_one(".pagination a[rel=prev]")["href"] == "?page=1"


@pytest.mark.parametrize("position", ["before=abc", "after=1-", "before=1-1&after=1-1"])
def test_a_page_with_a_broken_position_is_404(client, many, position):
    assert client.get(f"/local/?page=2&{position}").status_code == 404
