import datetime

import pytest
from django.core import signing

from newsdesk.newsletters import tokens

CONFIRM_DAYS = 3


def test_a_confirmation_link_carries_the_address_and_newsletters():
    token = tokens.confirmation_token("reader@example.org", [3, 1, 3], "sign-up form on /")
    signup = tokens.read_confirmation(token)
    assert signup == tokens.SignUp(email="reader@example.org", newsletter_ids=(1, 3), source="sign-up form on /")


def test_a_confirmation_link_expires(time_machine, settings):
    settings.NEWSDESK_NEWSLETTER_CONFIRM_DAYS = CONFIRM_DAYS
    time_machine.move_to(datetime.datetime(2026, 11, 1, 8, tzinfo=datetime.UTC), tick=False)
    token = tokens.confirmation_token("reader@example.org", [1], "test")
    time_machine.move_to(datetime.datetime(2026, 11, 4, 8, 1, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(tokens.BadLink):
        tokens.read_confirmation(token)


def test_an_altered_confirmation_link_is_refused():
    token = tokens.confirmation_token("reader@example.org", [1], "test")
    with pytest.raises(tokens.BadLink):
        tokens.read_confirmation(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_a_link_of_another_kind_is_refused():
    manage = tokens.manage_token(5, "secret")
    with pytest.raises(tokens.BadLink):
        tokens.read_unsubscribe(manage)
    with pytest.raises(tokens.BadLink):
        tokens.read_confirmation(manage)


def test_a_signed_value_of_the_wrong_shape_is_refused():
    # Signed with our key and salt but not what we issue (a bug or a leaked key must not crash the view).
    token = signing.dumps({"e": ["not", "a", "string"], "n": [1]}, salt=tokens.CONFIRM_SALT)
    with pytest.raises(tokens.BadLink):
        tokens.read_confirmation(token)


def test_an_overlong_token_is_refused_before_any_decoding():
    with pytest.raises(tokens.BadLink):
        tokens.read_manage("a" * (tokens.MAX_TOKEN_LENGTH + 1))


def test_unsubscribe_links_do_not_expire(time_machine):
    time_machine.move_to(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), tick=False)
    token = tokens.unsubscribe_token(7, "key", 2)
    time_machine.move_to(datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC), tick=False)
    assert tokens.read_unsubscribe(token) == (7, "key", 2)
