"""Waiting for a benchmark's production server to answer (scripts/bench.py, scripts/bench_longtail.py)."""

import time
import urllib.request


def healthy(port: int, *, seconds: float = 60) -> bool:
    """Whether the server on 127.0.0.1:`port` answers /healthz with a 200 within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False
