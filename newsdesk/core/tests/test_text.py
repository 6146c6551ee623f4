import pytest
from lxml import etree

from newsdesk.core.text import xml_chars


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x0c", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"])
def test_characters_xml_forbids_are_dropped(bad):
    assert xml_chars(f"a{bad}b") == "ab"


@pytest.mark.parametrize("good", ["\t", "\n", "\r", " ", "é", "\u2028", "\ud7ff", "\ue000", "\ufffd", "\U0001f600"])
def test_characters_xml_allows_are_kept(good):
    assert xml_chars(f"a{good}b") == f"a{good}b"


def test_markup_is_left_to_the_escaping_of_its_output():
    assert xml_chars("<script>&]]>") == "<script>&]]>"


def test_every_code_point_it_keeps_parses_as_xml():
    kept = xml_chars("".join(chr(n) for n in range(0x10000)))
    element = etree.fromstring(f"<t>{kept.replace('&', '&amp;').replace('<', '&lt;')}</t>".encode("utf-8", "strict"))
    # A parser reads a lone \r as \n (XML 1.0, 2.11 End-of-Line Handling).
    assert element.text == kept.replace("\r", "\n")
