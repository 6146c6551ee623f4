"""What every source kind is read into: one story, whatever the format it came in.

The parsers (parsers/rss.py, newsml.py, ninjs.py) turn a feed or a file into `Story`
values and know nothing of the database; services.py turns a Story into an article.
Everything here is still untrusted: text is as the source sent it (the service cleans
and sanitises), URLs are unchecked, dates are aware datetimes or None.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# pubStatus (NewsML-G2 stat:usable / stat:withheld / stat:canceled, NINJS pubstatus).
USABLE, WITHHELD, CANCELED = "usable", "withheld", "canceled"


class ParseError(ValueError):
    """The document as a whole cannot be read (not XML/JSON, not the format, too deep...)."""


@dataclass(frozen=True)
class Picture:
    url: str
    caption: str = ""
    credit: str = ""
    alt: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    role: str = ""  # e.g. "Correspondent"; "" when the source gives none
    guest: bool = True  # someone outside the newsroom (every byline from a feed is, until matched)


@dataclass(frozen=True)
class Subject:
    # Scheme-qualified where the source qualifies it ("medtop:20000763", "subj:15054000"); "" for a plain category.
    code: str
    name: str


@dataclass
class Story:
    guid: str  # the source's identifier (NewsML-G2 guid, NINJS uri, RSS guid or link)
    headline: str
    version: int = 1  # higher is newer; RSS has none (1), the service then compares content
    status: str = USABLE
    standfirst: str = ""  # description / summary / abstract
    body_html: str = ""  # (X)HTML of the body, unsanitised
    slugline: str = ""
    dateline: str = ""  # e.g. "BERLIN"
    located: str = ""
    bylines: list[Person] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)  # the first is the lead picture
    first_created: datetime.datetime | None = None
    version_created: datetime.datetime | None = None
    embargoed_until: datetime.datetime | None = None
    link: str = ""  # the original's address (RSS link), for attribution and canonical
    rights: str = ""  # copyright / credit line (rightsInfo, NINJS copyrightnotice)
    editor_note: str = ""  # edNote: for editors only, never on the page
    language: str = ""
    problems: list[str] = field(default_factory=list)  # what the parser cleaned or dropped, for the source's log


@dataclass
class Feed:
    """What one read of a source gave: its stories, and item-level problems that skipped an item."""

    stories: list[Story] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # reasons, one per item that could not be read
    item_links: list[str] = field(default_factory=list)  # a NewsML-G2 feed/list of item links to fetch next
