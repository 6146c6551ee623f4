"""Text that must survive XML: what XML 1.0 lets a document carry."""

from __future__ import annotations

import re

# XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets): tab, line feed, carriage
# return, U+0020 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF. Anything else (C0 controls such
# as the vertical tab Word pastes, NUL, lone surrogates, U+FFFE, U+FFFF) makes the whole document
# ill-formed, and a conforming parser (feed readers, Google News) must refuse all of it.
_NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_chars(text: str) -> str:
    """`text` without the characters XML 1.0 forbids; every other character is kept as it is."""
    return _NOT_XML_CHAR.sub("", text)
