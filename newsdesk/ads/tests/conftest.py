import pytest


@pytest.fixture(autouse=True)
def _own_counter_spool(counter_spool):
    """Every test here counts into its own spool."""


@pytest.fixture
def campaign(db):
    from newsdesk.ads.factories import make_campaign

    return make_campaign()


@pytest.fixture
def ad_workdir(tmp_path):
    path = tmp_path / "ads"
    path.mkdir()
    return path
