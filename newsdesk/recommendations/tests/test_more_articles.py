import pytest

from newsdesk.recommendations.models import RelatedArticle
from newsdesk.recommendations.selectors import more_articles
from newsdesk.recommendations.services import compute_all_related, compute_related
from newsdesk.recommendations.similarity import Corpus, cosine, term_counts

pytestmark = pytest.mark.django_db

TRAM = [
    "The tram line extension across the river opens with new tram stops and longer tram platforms.",
    "Tram drivers tested the new river crossing at night before the tram timetable changes.",
]
BAKERY = [
    "The bakery on the market square sells sourdough bread baked before dawn.",
    "Its bakers knead rye dough by hand and the bread sells out by noon.",
]


def story(article_factory, headline, body, **extra):
    # A fixed standfirst: the factory's own is random, and its words would sway the scores.
    extra.setdefault("standfirst", "A report from the city desk.")
    return article_factory(headline=headline, body=body, tags=extra.pop("tags", []), **extra)


def test_similar_texts_score_higher_than_unrelated_ones():
    corpus = Corpus()
    corpus.add(1, term_counts(headline="Tram line opens", standfirst="", body=" ".join(TRAM)))
    corpus.add(2, term_counts(headline="New tram stops", standfirst="", body=TRAM[1]))
    corpus.add(3, term_counts(headline="Bakery bread", standfirst="", body=" ".join(BAKERY)))
    vectors = corpus.vectors()
    assert cosine(vectors[1], vectors[2]) > cosine(vectors[1], vectors[3])


def test_the_most_similar_article_comes_first(article_factory):
    current = story(article_factory, "Tram extension opens", TRAM)
    story(article_factory, "Bakery keeps its dawn shift", BAKERY)
    twin = story(article_factory, "Night tests on the tram crossing", TRAM[1:])
    compute_related(current.pk)
    assert more_articles(current)[0].pk == twin.pk


def test_shared_tags_lift_an_article(article_factory):
    current = story(article_factory, "Council budget", BAKERY, tags=["budget"])
    tagged = story(article_factory, "Budget vote", BAKERY[1:], tags=["budget"])
    untagged = story(article_factory, "Budget vote again", BAKERY[1:], tags=["weather"])
    compute_related(current.pk)
    scores = dict(RelatedArticle.objects.filter(article=current).values_list("related_id", "score"))
    assert scores[tagged.pk] > scores[untagged.pk]


def test_publishing_computes_the_neighbours_in_a_job(article_factory, django_capture_on_commit_callbacks):
    first = story(article_factory, "Tram extension opens", TRAM)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = story(article_factory, "Tram crossing tested", TRAM[1:])
    assert callbacks
    # Publishing the second article enqueued its job (run at once in tests) and told the first.
    assert RelatedArticle.objects.filter(article=second, related=first).exists()
    assert RelatedArticle.objects.filter(article=first, related=second).exists()


def test_never_the_current_article_nor_what_the_page_already_shows(article_factory):
    current = story(article_factory, "Tram extension opens", TRAM)
    shown = story(article_factory, "Tram crossing tested", TRAM[1:])
    other = story(article_factory, "Tram stops get longer platforms", TRAM[:1])
    compute_related(current.pk)
    items = [item.pk for item in more_articles(current, exclude=[shown.pk])]
    assert current.pk not in items
    assert shown.pk not in items
    assert other.pk in items


def test_three_by_default_and_up_to_six_when_configured(article_factory, settings):
    current = story(article_factory, "Tram extension opens", TRAM)
    for n in range(8):
        story(article_factory, f"Tram note {n}", TRAM[n % 2 :])
    compute_all_related()
    assert len(more_articles(current)) == 3
    settings.NEWSDESK_MORE_ARTICLES_SIZE = 6
    assert len(more_articles(current)) == 6


def test_unpublished_neighbours_are_left_out(article_factory):
    current = story(article_factory, "Tram extension opens", TRAM)
    gone = story(article_factory, "Tram crossing tested", TRAM[1:])
    compute_related(current.pk)
    gone.unpublish()
    assert gone.pk not in [item.pk for item in more_articles(current)]


def test_the_section_fills_in_before_any_similarity_is_known(article_factory):
    current = story(article_factory, "Tram extension opens", TRAM, section="local")
    neighbour = story(article_factory, "Bakery keeps its dawn shift", BAKERY, section="local")
    RelatedArticle.objects.all().delete()
    assert [item.pk for item in more_articles(current)] == [neighbour.pk]


def test_pages_run_from_the_neighbours_into_the_sections_newest_without_repeats(article_factory):
    current = story(article_factory, "Tram extension opens", TRAM, section="local")
    others = [story(article_factory, f"Local note {n}", BAKERY, section="local") for n in range(6)]
    RelatedArticle.objects.all().delete()
    best, second = others[1], others[4]
    RelatedArticle.objects.create(article=current, related=best, score=0.9)
    RelatedArticle.objects.create(article=current, related=second, score=0.5)
    newest_rest = sorted(
        (item for item in others if item not in (best, second)),
        key=lambda item: (item.first_published_at, item.pk),
        reverse=True,
    )
    pages = [[item.pk for item in more_articles(current, limit=3, offset=offset)] for offset in (0, 3)]
    assert pages == [[best.pk, second.pk, newest_rest[0].pk], [item.pk for item in newest_rest[1:]]]


def test_an_exhausted_list_gives_an_empty_page(article_factory):
    current = story(article_factory, "Tram extension opens", TRAM, section="local")
    story(article_factory, "Bakery keeps its dawn shift", BAKERY, section="local")
    assert more_articles(current, limit=3, offset=3) == []


def test_the_article_page_block_avoids_must_read_and_latest(client, article_factory, soup):
    for n in range(12):
        story(article_factory, f"Tram note {n}", TRAM[n % 2 :])
    current = story(article_factory, "Tram extension opens", TRAM)
    page = soup(client.get(current.url))

    def links(selector: str) -> set[str]:
        return {a["href"] for a in page.select(f"{selector} .teaser__title a")}

    more = links(".list-block--more-articles")
    assert len(more) == 3
    assert not more & (links(".list-block--must-read") | links(".list-block--latest") | {current.url})


def test_the_more_link_pages_through_related_articles(client, article_factory, soup):
    current = story(article_factory, "Tram extension opens", TRAM)
    for n in range(9):
        story(article_factory, f"Tram note {n}", TRAM[n % 2 :])
    compute_related(current.pk)
    first = client.get(f"/related/{current.pk}/")
    assert first.status_code == 200
    assert "max-age=300" in first["Cache-Control"]
    page = soup(first)
    assert len(page.select(".teaser")) == 6
    assert page.select_one("a[rel=next]")["href"] == "?page=2"
    second = soup(client.get(f"/related/{current.pk}/?page=2"))
    assert len(second.select(".teaser")) == 3
    assert not second.select_one("a[rel=next]")


@pytest.mark.parametrize("page", ["0", "-1", "abc", "5", "999999999999"])
def test_the_more_endpoint_page_number_is_bounded(client, article_factory, page):
    current = story(article_factory, "Tram extension opens", TRAM)
    assert client.get(f"/related/{current.pk}/?page={page}").status_code == 404


def test_the_more_endpoint_hides_drafts(client, article_factory):
    current = story(article_factory, "Tram extension opens", TRAM)
    current.unpublish()
    assert client.get(f"/related/{current.pk}/").status_code == 404
