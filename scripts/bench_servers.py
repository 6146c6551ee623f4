"""`make bench`, two app servers: what the multi-server layout of docs/deploy.md serves on this machine.

Starts what tests/multiserver runs (tests/multiserver/harness.py): two gunicorn process groups
(production settings, each with its own local folders) sharing one new PostgreSQL database and
one Redis database, and the shipped nginx config with both in its upstream. Then measures:

  a. cached pages through nginx over both servers: requests/s and p50/p99, `wrk` at 32
     connections, each request with its own `utm_source` (dropped by the app's page cache, kept
     in nginx's micro-cache key), so every request reaches an app server's shared copy in Redis;
  b. the same straight to one server, for comparison;
  c. a surge: SURGE requests at once, alternating between the two servers, right after a publish
     through the first, and how many renders they caused across both (`X-Page-Cache: miss`);
  d. failover: 400 requests from 8 clients through nginx, one server's process group killed
     (SIGKILL) once it has answered 20 of them; how many requests got no good answer.

Needs nginx, PostgreSQL and Redis (as the tests). Figures go to var/bench/servers.json.
"""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import wrk_output

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.multiserver.harness import HOST, UNIQUE, Cluster, surge, two_servers  # noqa: E402
from tests.proxies.conftest import Answer, wait_for  # noqa: E402

OUT = ROOT / "var" / "bench"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
SURGE = int(os.environ.get("BENCH_SURGE", "200"))


def wrk(url: str, name: str, *, unique: str) -> dict[str, object]:
    """`wrk` on `url`, each request with its own value of the parameter `unique`."""
    script = OUT / f"wrk-{name}.lua"
    script.write_text(
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        f'  return wrk.format("GET", wrk.path .. "?{unique}=" .. counter)\n'
        "end\n"
    )
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", "-s", str(script)]
    command += ["-H", f"Host: {HOST}", "-H", "X-Forwarded-Proto: https", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    (OUT / f"wrk-{name}.txt").write_text(output)

    return wrk_output.figures(output)


def surge_after_publish(cluster: Cluster) -> dict[str, object]:
    first, second = cluster.servers
    article = first.edit("article", headline="Surge before")
    first.get(article["path"])
    first.edit("publish", id=article["id"], headline="Surge after")
    readers = [first if number % 2 == 0 else second for number in range(SURGE)]
    answers = surge([lambda server=server: server.get(article["path"]) for server in readers])
    labels = [answer.headers["X-Page-Cache"] for answer in answers if isinstance(answer, Answer)]
    ok = sum(isinstance(answer, Answer) and answer.status == 200 for answer in answers)
    counts = {label: labels.count(label) for label in sorted(set(labels))}
    return {"requests": SURGE, "responses": counts, "renders": counts.get("miss", 0), "ok": ok}


def failover(cluster: Cluster) -> dict[str, object]:
    first, second = cluster.servers
    article = first.edit("article", headline="Failover")
    path = article["path"]
    cluster.through_nginx(path)
    total, lock, numbers = 400, threading.Lock(), iter(range(400))
    good: list[bool] = []

    def reader() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            try:
                answer = cluster.through_nginx(f"{path}?{UNIQUE}=f{number}")
                fine = answer.status == 200 and answer.h1() == "Failover"
            except Exception:  # noqa: BLE001 - a lost request is the figure
                fine = False
            with lock:
                good.append(fine)

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    wait_for(lambda: sum(path in line for line in second.requests_logged()) >= 20, seconds=120, what="a share")
    second.kill()
    for thread in threads:
        thread.join()
    return {"requests": total, "answered": len(good), "lost": total - sum(good)}


def main() -> dict[str, object]:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # noqa: S607
    folder = OUT / "two-servers"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with two_servers(folder) as cluster:
        first = cluster.servers[0]
        article = first.edit("article", headline="Benchmark")
        cluster.through_nginx(article["path"])
        through_nginx = wrk(f"https://127.0.0.1:{cluster.nginx_port}{article['path']}", "two-servers", unique=UNIQUE)
        one_server = wrk(f"http://127.0.0.1:{first.port}{article['path']}", "one-server-redis", unique=UNIQUE)
        burst = surge_after_publish(cluster)
        lost = failover(cluster)
    result = {
        "layout": "nginx (deploy/nginx.conf) -> 2 x gunicorn (2 workers x 4 threads) -> Redis page cache, PostgreSQL",
        "through_nginx": through_nginx,
        "one_server_direct": one_server,
        "surge": burst,
        "failover": lost,
    }
    (OUT / "servers.json").write_text(json.dumps(result, indent=2))
    return result


def report(result: dict) -> None:
    nginx, one, burst, lost = result["through_nginx"], result["one_server_direct"], result["surge"], result["failover"]
    print(f"Two app servers: {result['layout']}")
    for name, run in (("through nginx over both", nginx), ("one server, direct", one)):
        print(f"  {name:24} {run['requests_per_second']} req/s, p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms")
    print(f"  surge: {burst['requests']} requests over both after a publish -> {burst['responses']}")
    print(f"  failover: {lost['requests']} requests, one server killed mid-way -> {lost['lost']} lost")
    print(f"two_servers_requests_per_second={nginx['requests_per_second']}")
    print(f"one_server_redis_requests_per_second={one['requests_per_second']}")
    print(f"two_servers_surge_renders={burst['renders']}")
    print(f"two_servers_failover_lost_requests={lost['lost']}")


if __name__ == "__main__":
    report(main())
