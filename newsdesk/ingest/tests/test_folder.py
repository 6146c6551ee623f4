"""The drop folder: which files are pending, where read and unreadable files go, and what kind a file is.

Times are given explicitly (`now=`, `os.utime`), so no test depends on the clock or on speed."""

import os
from pathlib import Path

import pytest

from newsdesk.ingest import folder
from newsdesk.ingest.stories import ParseError

NOW = 1_800_000_000.0


def drop(directory: Path, name: str, *, age: float = 60.0, data: bytes = b"<newsItem/>") -> Path:
    path = directory / name
    path.write_bytes(data)
    os.utime(path, (NOW - age, NOW - age))
    return path


def pending(directory: Path, **kwargs) -> list[str]:
    return [path.name for path in folder.pending_files(directory, now=NOW, **kwargs)]


# Which files are pending


def test_pending_files_are_oldest_first(tmp_path):
    drop(tmp_path, "b.xml", age=30)
    drop(tmp_path, "a.xml", age=10)
    drop(tmp_path, "c.xml", age=50)
    assert pending(tmp_path) == ["c.xml", "b.xml", "a.xml"]


def test_files_of_the_same_age_are_in_name_order(tmp_path):
    drop(tmp_path, "b.xml", age=30)
    drop(tmp_path, "a.xml", age=30)
    assert pending(tmp_path) == ["a.xml", "b.xml"]


def test_hidden_files_are_ignored(tmp_path):
    drop(tmp_path, ".in-progress.xml")
    assert pending(tmp_path) == []


@pytest.mark.parametrize("name", ["story.xml.tmp", "story.xml.part", "story.xml.filepart", "STORY.XML.PART"])
def test_partial_uploads_are_ignored(tmp_path, name):
    drop(tmp_path, name)
    assert pending(tmp_path) == []


def test_file_changed_within_the_settle_time_is_not_pending(tmp_path):
    drop(tmp_path, "fresh.xml", age=1.0)
    assert pending(tmp_path) == []


def test_file_older_than_the_settle_time_is_pending(tmp_path):
    drop(tmp_path, "settled.xml", age=2.5)
    assert pending(tmp_path) == ["settled.xml"]


def test_settle_time_is_a_parameter(tmp_path):
    drop(tmp_path, "story.xml", age=5)
    assert pending(tmp_path, settle_seconds=10) == []


def test_subfolders_are_not_pending(tmp_path):
    (tmp_path / "done").mkdir()
    assert pending(tmp_path) == []


def test_symlink_out_of_the_folder_is_ignored(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = drop(outside, "secret.xml")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.xml").symlink_to(secret)
    assert pending(inbox) == []


def test_symlink_into_done_is_ignored(tmp_path):
    (tmp_path / "done").mkdir()
    read_before = drop(tmp_path / "done", "story.xml")
    (tmp_path / "again.xml").symlink_to(read_before)
    assert pending(tmp_path) == []


def test_moved_file_is_no_longer_pending(tmp_path):
    folder.move_done(drop(tmp_path, "story.xml"))
    assert pending(tmp_path) == []


# Moves


def test_move_done_puts_the_file_in_done(tmp_path):
    moved = folder.move_done(drop(tmp_path, "story.xml", data=b"<nitf/>"))
    assert (moved, moved.read_bytes()) == (tmp_path / "done" / "story.xml", b"<nitf/>")
    assert not (tmp_path / "story.xml").exists()


def test_move_failed_puts_the_file_in_failed(tmp_path):
    moved = folder.move_failed(drop(tmp_path, "story.xml"), "not XML")
    assert moved == tmp_path / "failed" / "story.xml"
    assert not (tmp_path / "story.xml").exists()


def test_move_failed_writes_the_reason_beside_the_file(tmp_path):
    folder.move_failed(drop(tmp_path, "story.xml"), "not XML")
    assert (tmp_path / "failed" / "story.xml.reason.txt").read_text() == "not XML\n"


def test_name_clash_in_done_gets_a_suffix(tmp_path):
    folder.move_done(drop(tmp_path, "story.xml", data=b"first"))
    moved = folder.move_done(drop(tmp_path, "story.xml", data=b"second"))
    assert moved.name == "story-1.xml"
    assert (tmp_path / "done" / "story.xml").read_bytes() == b"first"


def test_name_clash_in_failed_keeps_both_reasons(tmp_path):
    folder.move_failed(drop(tmp_path, "story.xml"), "first reason")
    moved = folder.move_failed(drop(tmp_path, "story.xml"), "second reason")
    assert moved.name == "story-1.xml"
    assert (tmp_path / "failed" / "story.xml.reason.txt").read_text() == "first reason\n"
    assert (tmp_path / "failed" / "story-1.xml.reason.txt").read_text() == "second reason\n"


def test_a_left_over_reason_file_is_not_overwritten(tmp_path):
    (tmp_path / "failed").mkdir()
    (tmp_path / "failed" / "story.xml.reason.txt").write_text("older\n")
    moved = folder.move_failed(drop(tmp_path, "story.xml"), "newer")
    assert moved.name == "story-1.xml"
    assert (tmp_path / "failed" / "story.xml.reason.txt").read_text() == "older\n"


def test_moving_a_symlink_moves_the_link_not_its_target(tmp_path):
    target = drop(tmp_path, "real.xml")
    link = tmp_path / "link.xml"
    link.symlink_to(target)
    moved = folder.move_done(link)
    assert moved.is_symlink() and target.exists()


# Size


def test_read_file_returns_the_bytes(tmp_path):
    assert folder.read_file(drop(tmp_path, "story.xml", data=b"<nitf/>"), 100) == b"<nitf/>"


def test_file_at_the_cap_is_read(tmp_path):
    assert len(folder.read_file(drop(tmp_path, "story.xml", data=b"x" * 100), 100)) == 100


def test_file_over_the_cap_is_refused(tmp_path):
    with pytest.raises(ParseError, match="too big"):
        folder.read_file(drop(tmp_path, "story.xml", data=b"x" * 101), 100)


def test_too_big_file_goes_to_failed_with_the_reason(tmp_path):
    path = drop(tmp_path, "huge.xml", data=b"x" * 101)
    with pytest.raises(ParseError) as refused:
        folder.read_file(path, 100)
    folder.move_failed(path, str(refused.value))
    assert (tmp_path / "failed" / "huge.xml.reason.txt").read_text() == "file too big: more than 100 bytes\n"


# Kinds


@pytest.mark.parametrize("root", ["newsItem", "packageItem", "newsMessage"])
def test_newsml_g2_roots(root):
    data = f'<?xml version="1.0"?>\n<{root} xmlns="http://iptc.org/std/nar/2006-10-01/"/>'.encode()
    assert folder.kind_of(Path("story.xml"), data) == "newsml-g2"


def test_prefixed_newsml_g2_root():
    data = b'<g2:newsItem xmlns:g2="http://iptc.org/std/nar/2006-10-01/"/>'
    assert folder.kind_of(Path("story.xml"), data) == "newsml-g2"


def test_nitf_after_a_doctype_and_a_comment():
    data = b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "nitf.dtd"><!-- <newsItem> --><nitf><head/></nitf>'
    assert folder.kind_of(Path("story.xml"), data) == "nitf"


def test_json_object_is_ninjs():
    assert folder.kind_of(Path("story.json"), b'\xef\xbb\xbf  {"uri": "x"}') == "ninjs"


def test_json_list_is_ninjs():
    assert folder.kind_of(Path("items"), b'[{"uri": "x"}]') == "ninjs"


def test_content_decides_over_the_extension():
    assert folder.kind_of(Path("story.json"), b"<nitf/>") == "nitf"


def test_utf16_xml_is_recognised():
    assert folder.kind_of(Path("story.xml"), '<?xml version="1.0"?><nitf/>'.encode("utf-16")) == "nitf"


def test_unknown_xml_is_refused():
    with pytest.raises(ParseError, match="unknown kind"):
        folder.kind_of(Path("feed.xml"), b"<rss version='2.0'/>")


def test_text_is_refused():
    with pytest.raises(ParseError, match="neither"):
        folder.kind_of(Path("story.txt"), b"BERLIN (dpa) - ...")
