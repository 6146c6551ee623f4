import datetime

from newsdesk.core import form_stamps

SALT = "tests.form-stamps"


def test_a_stamp_tells_how_long_ago_the_form_was_opened(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC), tick=False)
    stamp = form_stamps.started_token(SALT)
    time_machine.move_to(datetime.datetime(2026, 11, 30, 8, 0, 12, tzinfo=datetime.UTC), tick=False)
    assert form_stamps.seconds_since(stamp, SALT) == 12


def test_a_stamp_of_another_form_counts_as_none():
    assert form_stamps.seconds_since(form_stamps.started_token("another.salt"), SALT) is None


def test_a_garbled_or_missing_stamp_counts_as_none():
    assert form_stamps.seconds_since("", SALT) is None
    assert form_stamps.seconds_since("form", SALT) is None
    assert form_stamps.seconds_since("form:!!!:bad", SALT) is None
