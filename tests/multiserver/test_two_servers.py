"""Two app servers, one PostgreSQL, one Redis: what one server does, the other sees (docs/deploy.md).

Every server is a separate gunicorn process group with its own local folders; what they
share is only what the deploy guide says to share. The proofs come from the servers' own
answers (`X-Page-Cache`), their access logs, Redis and the database, never from timing.
"""

import threading

import pytest

from tests.proxies.conftest import Answer, wait_for

from .harness import UNIQUE, Cluster, surge

# One xdist worker runs them all (make test uses --dist loadgroup): one pair of servers.
pytestmark = pytest.mark.xdist_group("multiserver")

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def test_a_copy_made_on_one_server_is_served_by_the_other(cluster: Cluster):
    first, second = cluster.servers
    article = first.edit("article", headline="Ferry timetable changes")
    made = first.get(article["path"])
    served = second.get(article["path"])
    assert (made.headers["X-Page-Cache"], made.h1()) == ("miss", "Ferry timetable changes")
    assert (served.headers["X-Page-Cache"], served.h1()) == ("hit", "Ferry timetable changes")


def test_a_publish_through_one_server_is_purged_on_both(cluster: Cluster):
    first, second = cluster.servers
    article = first.edit("article", headline="Bridge closed for repairs")
    for server in (first, second):
        assert server.get(article["path"]).h1() == "Bridge closed for repairs"
    first.edit("publish", id=article["id"], headline="Bridge reopens early")
    # The first reader after the purge re-renders; neither server serves the old copy again.
    assert second.get(article["path"]).h1() == "Bridge reopens early"
    assert first.get(article["path"]).h1() == "Bridge reopens early"
    assert second.get(article["path"]).h1() == "Bridge reopens early"


def test_an_unpublish_through_one_server_removes_the_page_from_both(cluster: Cluster):
    first, second = cluster.servers
    article = first.edit("article", headline="Mayor to resign")
    for server in (first, second):
        assert server.get(article["path"]).status == 200
    first.edit("unpublish", id=article["id"])
    assert second.get(article["path"]).status == 404
    assert first.get(article["path"]).status == 404


def test_generations_are_the_same_on_both_servers(cluster: Cluster):
    first, second = cluster.servers
    before = first.edit("generations")
    assert second.edit("generations") == before
    second.edit("bump")
    after = first.edit("generations")
    assert after["articles"] != before["articles"]
    assert second.edit("generations") == after


def test_parts_kept_by_one_server_are_reused_by_the_other(cluster: Cluster):
    first, second = cluster.servers
    article = first.edit("article", headline="Library extends opening hours")
    # Teaser markup ({% cache %}) and the article's own parts (the kept cache, newsdesk/core/cache.py).
    patterns = ("*template.cache.*", "*near:part:*")
    before = {pattern: cluster.redis_keys(pattern) for pattern in patterns}
    assert first.get(article["path"]).headers["X-Page-Cache"] == "miss"
    kept = {pattern: cluster.redis_keys(pattern) - before[pattern] for pattern in patterns}
    assert all(kept.values()), "rendering an article keeps its parts in Redis"
    first.edit("purge", path=article["path"])
    rendered = second.get(article["path"])
    assert (rendered.headers["X-Page-Cache"], rendered.h1()) == ("miss", "Library extends opening hours")
    # The second server rendered the page from the parts the first one kept: it kept none of its own.
    assert {pattern: cluster.redis_keys(pattern) - before[pattern] for pattern in patterns} == kept


def test_view_and_ad_counts_from_both_servers_add_up(cluster: Cluster):
    first, second = cluster.servers
    article = first.edit("article", headline="Council votes on budget")
    creative = first.edit("creative")["id"]
    views = f"/stats/views/{article['id']}/"
    sent = {"views": 0, "impressions": 0, "clicks": 0}
    for server, readers in ((first, range(1, 8)), (second, range(8, 13))):
        for reader in readers:
            client = {"User-Agent": BROWSER, "X-Forwarded-For": f"203.0.113.{reader}"}
            assert server.post(views, **client) == 204
            assert server.get(f"/ads/{creative}/impression/", **client).status == 200
            assert server.get(f"/ads/{creative}/click/", **client).status == 302
            sent = {name: count + 1 for name, count in sent.items()}
    # One reader on both servers within the window: one view and one click, wherever they land.
    twice = {"User-Agent": BROWSER, "X-Forwarded-For": "198.51.100.7"}
    for server in (first, second):
        assert server.post(views, **twice) == 204
        assert server.get(f"/ads/{creative}/click/", **twice).status == 302
    sent["views"] += 1
    sent["clicks"] += 1
    # The flush job runs on one machine (the worker's) and takes every server's counts...
    assert second.edit("flush") == sent
    # ...so nothing is left for a flush elsewhere, and nothing waits in a local spool.
    assert first.edit("flush") == {"views": 0, "impressions": 0, "clicks": 0}
    for server in (first, second):
        assert not any(path.stat().st_size for path in (server.folder / "counters").glob("*") if path.is_file())
    assert first.edit("totals", article=article["id"], creative=creative) == sent


def test_one_render_per_url_across_both_servers_in_a_surge(cluster: Cluster):
    first, second = cluster.servers
    article = first.edit("article", headline="Storm warning for the coast")
    assert first.get(article["path"]).headers["X-Page-Cache"] == "miss"
    first.edit("publish", id=article["id"], headline="Storm warning lifted")
    readers = [server for _ in range(40) for server in (first, second)]
    answers = surge([lambda server=server: server.get(article["path"]) for server in readers])
    failed = [answer for answer in answers if not isinstance(answer, Answer) or answer.status != 200]
    assert not failed, failed[:3]
    labels = [answer.headers["X-Page-Cache"] for answer in answers if isinstance(answer, Answer)]
    assert labels.count("miss") == 1, labels
    assert set(labels) <= {"miss", "stale", "hit"}
    for server in (first, second):
        again = server.get(article["path"])
        assert (again.headers["X-Page-Cache"], again.h1()) == ("hit", "Storm warning lifted")


def test_killing_one_server_mid_surge_loses_no_request(cluster: Cluster):
    """nginx (deploy/nginx.conf, both servers in its upstream) retries on the other server."""
    first, second = cluster.servers
    article = first.edit("article", headline="Power cut in the old town")
    assert cluster.through_nginx(article["path"]).h1() == "Power cut in the old town"
    total, clients = 400, 8
    answers: list[Answer | BaseException] = []
    lock = threading.Lock()
    numbers = iter(range(total))

    def reader() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            # A parameter the app ignores and nginx's micro-cache does not: each request reaches an app server.
            try:
                answer: Answer | BaseException = cluster.through_nginx(f"{article['path']}?{UNIQUE}={number}")
            except Exception as error:  # a lost request is what this test looks for
                answer = error
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=reader) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        path = article["path"]
        wait_for(
            lambda: sum(path in line for line in second.requests_logged()) >= 20,
            seconds=120,
            what="the second server answering part of the surge",
        )
        served_by_first = sum(path in line for line in first.requests_logged())
        second.kill()
        for thread in threads:
            thread.join()
        assert len(answers) == total
        lost = [answer for answer in answers if not isinstance(answer, Answer) or answer.status != 200]
        assert not lost, lost[:3]
        assert {answer.h1() for answer in answers if isinstance(answer, Answer)} == {"Power cut in the old town"}
        # The rest of the surge went to the first server.
        assert sum(path in line for line in first.requests_logged()) > served_by_first
    finally:
        for thread in threads:
            thread.join()
        if second.process is not None and second.process.poll() is not None:
            second.start()
