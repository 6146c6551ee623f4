import pytest


@pytest.fixture(autouse=True)
def _own_counter_spool(counter_spool):
    """Every test here counts into its own spool."""
