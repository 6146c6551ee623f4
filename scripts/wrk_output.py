"""What `make bench` reads from wrk's report (scripts/bench.py, scripts/bench_servers.py).

wrk prints a latency in whichever unit keeps the number small: us, ms, s, then m and h
(time_units_us and time_units_s in wrk's src/units.c). Its print_units pads the
column to a fixed width, so a one-letter unit ("1.02s", "1.50m") is followed by a
space and a two-letter one is not: a pattern that ended at the unit missed every
latency of a second or more.
"""

import re

MILLISECONDS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def latency_ms(output: str, percentile: str) -> float:
    """The latency at `percentile` ("50", "99") of wrk's --latency distribution, in milliseconds."""
    found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    if not found:
        raise ValueError(f"no {percentile}% latency in wrk's output:\n{output}")
    return round(float(found.group(1)) * MILLISECONDS[found.group(2)], 2)


def figures(output: str) -> dict[str, float]:
    """Requests per second and p50/p99 latency; a run with any non-2xx answer has no figures."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not rate or "Non-2xx" in output:
        raise ValueError(f"wrk's run has no rate or had non-2xx answers:\n{output}")
    return {
        "requests_per_second": float(rate.group(1)),
        "p50_ms": latency_ms(output, "50"),
        "p99_ms": latency_ms(output, "99"),
    }
