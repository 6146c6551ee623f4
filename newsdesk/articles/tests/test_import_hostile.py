"""The import command answers every bad input: the field and the problem, a non-zero exit, nothing written.

One test per class of bad input (encoding, size, JSON shape, types, dates, characters,
unknown fields, image paths, pictures), through the command as newsroom scripts run it.
"""

import datetime
import io
import json
import subprocess
import sys
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from wagtail.images.models import Image
from wagtail.models import Page

from newsdesk.articles.factories import make_image
from newsdesk.articles.models import ArticlePage, Author
from newsdesk.articles.services import ARTICLE_FIELDS, IMPORT_MAX_BYTES
from newsdesk.articles.tests.test_import import payload

pytestmark = pytest.mark.django_db


def encoded(**overrides):
    return json.dumps(payload(**overrides)).encode()


def imported(folder, raw):
    path = folder / "article.json"
    path.write_bytes(raw)
    call_command("import_article", str(path), stdout=io.StringIO())
    return ArticlePage.objects.get()


def refused(folder, raw):
    """The command's message, after checking that it wrote no page, picture or author."""
    pages, images = Page.objects.count(), Image.objects.count()
    with pytest.raises(CommandError) as error:
        imported(folder, raw)
    assert (Page.objects.count(), Image.objects.count()) == (pages, images)
    assert not Author.objects.exists()
    return str(error.value)


# --- The file -------------------------------------------------------------------


def test_a_latin1_file_is_named_as_not_utf8(sections, tmp_path):
    raw = json.dumps(payload(headline="Café à la carte"), ensure_ascii=False).encode("latin-1")
    assert refused(tmp_path, raw).startswith("file: is not UTF-8 (byte 0xe9 at offset")


def test_a_utf8_file_with_a_byte_order_mark_is_read(sections, tmp_path):
    raw = json.dumps(payload(headline="Café"), ensure_ascii=False).encode("utf-8-sig")
    assert imported(tmp_path, raw).title == "Café"


def test_a_file_past_the_size_limit_is_refused_unread(sections, tmp_path):
    raw = encoded() + b" " * IMPORT_MAX_BYTES
    assert refused(tmp_path, raw) == "file: is larger than 2 MB"


def test_a_folder_is_not_a_file(sections, tmp_path):
    with pytest.raises(CommandError, match=r"^file: cannot read"):
        call_command("import_article", str(tmp_path))


# --- JSON -------------------------------------------------------------------------


def test_nesting_past_pythons_recursion_limit_is_an_answer(sections, tmp_path):
    raw = b"[" * 100_000 + b"]" * 100_000
    assert refused(tmp_path, raw) == "(json): nested deeper than 8 levels"


def test_nesting_past_the_import_limit_is_refused(sections, tmp_path):
    body: list[Any] = ["deep"]
    for _ in range(8):
        body = [body]
    assert refused(tmp_path, encoded(body=body)) == "(json): nested deeper than 8 levels"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b'{"headline": NaN}', "NaN is not a JSON number"),
        (b'{"headline": -Infinity}', "-Infinity is not a JSON number"),
        (b'{"headline": "a", "headline": "b"}', "the key 'headline' appears twice in one object"),
        (b'{"headline": ' + b"9" * 5000 + b"}", "Exceeds the limit (4300 digits)"),
    ],
)
def test_what_json_does_not_allow_is_refused(sections, tmp_path, raw, problem):
    message = refused(tmp_path, raw)
    assert message.startswith("(json): not valid JSON: ")
    assert problem in message


# --- Fields -----------------------------------------------------------------------


def test_the_standfirst_the_model_requires_is_required(sections, tmp_path):
    data = payload()
    del data["standfirst"]
    assert refused(tmp_path, json.dumps(data).encode()) == "standfirst: is required"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"headline": 7}, "headline: must be a string"),
        ({"body": [{"type": "paragraph", "text": {"nested": "x"}}]}, "body[0].text: is required"),
        ({"tags": [None]}, "tags: must be a list of non-empty strings"),
        ({"image": {"path": "p.jpg", "credit": ["x"]}}, "image.credit: must be a string"),
        ({"body": [{"type": "quote", "text": "Said.", "attribution": 5}]}, "body[0].attribution: must be a string"),
    ],
)
def test_a_wrong_type_names_the_field(sections, tmp_path, overrides, message):
    make_image(tmp_path / "p.jpg", seed=1, colour=(1, 2, 3), size=(40, 30))
    assert refused(tmp_path, encoded(**overrides)) == message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"standfrist": "A typo"}, "standfrist"),
        ({"source": {"name": "Courier", "email": "x@example.org"}}, "source.email"),
        ({"image": {"path": "p.jpg", "colour": "red"}}, "image.colour"),
        ({"body": ["Fine.", {"type": "quote", "text": "Said.", "speaker": "A"}]}, "body[1].speaker"),
    ],
)
def test_an_unknown_field_is_refused_with_the_known_ones(sections, tmp_path, overrides, field):
    make_image(tmp_path / "p.jpg", seed=1, colour=(1, 2, 3), size=(40, 30))
    assert refused(tmp_path, encoded(**overrides)).startswith(f"{field}: unknown field; the known fields are ")


def test_the_known_fields_are_the_documented_ones():
    assert set(payload()) | {"image"} == ARTICLE_FIELDS


# --- Dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59+00:00",
        "1899-12-31T23:59:59+00:00",
        "0001-01-01T00:00:00+05:00",
    ],
)
def test_a_date_out_of_range_is_refused(sections, tmp_path, when):
    assert refused(tmp_path, encoded(published_at=when)) == (
        f"published_at: '{when}' is out of range: from 1900 to at most a year from now"
    )


def test_more_than_a_year_ahead_is_refused_a_year_is_scheduled(sections, tmp_path, frozen_now):
    too_far = (frozen_now + datetime.timedelta(days=367)).isoformat()
    assert "out of range" in refused(tmp_path, encoded(published_at=too_far))
    within = (frozen_now + datetime.timedelta(days=365)).isoformat()
    assert not imported(tmp_path, encoded(published_at=within)).live


@pytest.mark.parametrize("when", ["2025-10-21T09:30:00", "2025-10-21T09:30:00+25:00", "2025-10-21"])
def test_a_naive_or_impossible_date_is_refused(sections, tmp_path, when):
    assert refused(tmp_path, encoded(published_at=when)).startswith(
        f"published_at: '{when}' is not an ISO 8601 date-time with a time zone"
    )


# --- Characters: dropped from text, refused where they cannot be dropped ---------------


def test_lone_surrogates_and_forbidden_characters_are_dropped_from_text(sections, tmp_path):
    article = imported(
        tmp_path,
        encoded(headline="Ferry\ud800 back\x0b on\ufffe the lake", standfirst="\udfffCalm\x00", authors=["Ann\ud83d"]),
    )
    assert (article.title, article.standfirst) == ("Ferry back on the lake", "Calm")
    assert [author.name for author in article.authors] == ["Ann"]


def test_a_headline_of_nothing_but_forbidden_characters_is_missing(sections, tmp_path):
    assert refused(tmp_path, encoded(headline="\ud800\x0b\ufffe")) == "headline: is required"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"canonical_url": "https://lake.example/\ud800"}, "canonical_url"),
        ({"source": {"name": "Courier", "url": "https://lake.example/\x0b"}}, "source.url"),
        ({"canonical_url": "https://"}, "canonical_url"),
    ],
)
def test_an_address_with_forbidden_characters_is_refused(sections, tmp_path, overrides, field):
    assert refused(tmp_path, encoded(**overrides)).startswith(f"{field}: ")


def test_a_surrogate_in_an_unknown_key_is_reported_printably(sections, tmp_path):
    message = refused(tmp_path, encoded(**{"odd\ud800": "x"}))
    assert message.startswith("odd: unknown field")
    message.encode("utf-8")


# --- Images -----------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    inside = tmp_path / "import"
    inside.mkdir()
    make_image(tmp_path / "outside.jpg", seed=5, colour=(50, 60, 70), size=(40, 30))
    return inside


@pytest.mark.parametrize("given", ["../outside.jpg", "{tmp}/outside.jpg", "sub/../../outside.jpg"])
def test_an_image_path_out_of_the_folder_is_refused(sections, folder, given):
    given = given.format(tmp=folder.parent)
    message = refused(folder, encoded(image={"path": given}))
    assert message == f"image.path: '{given}' is outside the import file's folder"


def test_a_link_out_of_the_folder_is_refused(sections, folder):
    (folder / "link.jpg").symlink_to(folder.parent / "outside.jpg")
    assert refused(folder, encoded(image={"path": "link.jpg"})).endswith("is outside the import file's folder")


def test_an_image_in_a_subfolder_is_imported(sections, folder):
    (folder / "pictures").mkdir()
    make_image(folder / "pictures" / "p.jpg", seed=6, colour=(5, 6, 7), size=(40, 30))
    assert imported(folder, encoded(image={"path": "pictures/p.jpg"})).lead_image is not None


@pytest.mark.parametrize("given", ["bad\x00.jpg", "bad\ud800.jpg", "  "])
def test_an_image_path_that_is_no_file_name_is_refused(sections, tmp_path, given):
    assert refused(tmp_path, encoded(image={"path": given})).startswith("image.path: ")


def test_a_truncated_picture_is_refused_like_an_admin_upload(sections, tmp_path):
    picture = make_image(tmp_path / "whole.jpg", seed=7, colour=(80, 90, 100), size=(320, 180))
    (tmp_path / "cut.jpg").write_bytes(picture.read_bytes()[:600])
    message = refused(tmp_path, encoded(image={"path": "cut.jpg"}))
    assert message.startswith("image.path: 'cut.jpg': ")


def test_a_picture_with_the_wrong_extension_is_refused(sections, tmp_path):
    make_image(tmp_path / "p.jpg", seed=8, colour=(1, 1, 1), size=(40, 30))
    (tmp_path / "p.txt").write_bytes((tmp_path / "p.jpg").read_bytes())
    assert refused(tmp_path, encoded(image={"path": "p.txt"})).startswith("image.path: 'p.txt': ")


# --- From the shell ---------------------------------------------------------------


def test_the_shell_gets_the_message_and_a_failure_not_a_traceback(sections, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(payload(headline="Café"), ensure_ascii=False).encode("latin-1"))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_article", str(path)],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "newsdesk.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode != 0
    assert "file: is not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
