"""scripts/wrk_output.py reads wrk's report in every unit wrk prints."""

import pytest

from scripts import wrk_output

# wrk 4.x --latency output, as print_units pads it: a one-letter unit is followed by a space.
DISTRIBUTION = ["     50%    1.02s ", "     75%    1.20s ", "     90%    1.50s ", "     99%    1.50m "]
REPORT = "\n".join(
    [
        "Running 10s test @ http://127.0.0.1:8000/",
        "  Latency Distribution",
        *DISTRIBUTION,
        "  290 requests in 10.00s, 3.10MB read",
        "Requests/sec:     28.95",
        "",
    ]
)


def test_seconds_and_minutes_are_read_in_milliseconds() -> None:
    assert wrk_output.figures(REPORT) == {"requests_per_second": 28.95, "p50_ms": 1020.0, "p99_ms": 90000.0}


@pytest.mark.parametrize(("printed", "milliseconds"), [("620.00us", 0.62), ("12.34ms", 12.34), ("2.00h", 7_200_000.0)])
def test_every_unit_is_read(printed: str, milliseconds: float) -> None:
    assert wrk_output.latency_ms(f"     50%{printed:>10}\n", "50") == milliseconds


def test_non_2xx_answers_give_no_figures() -> None:
    with pytest.raises(ValueError, match="non-2xx"):
        wrk_output.figures(REPORT + "  Non-2xx or 3xx responses: 3\n")
