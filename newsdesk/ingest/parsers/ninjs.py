"""NINJS (IPTC News in JSON, https://iptc.org/standards/ninjs/) objects read into `Story` values.

Both generations are read: 1.x has single fields (headline, body_html, byline, subject[],
associations as an object keyed by name, renditions likewise) and 2.x arrays of role-tagged
values (headlines[], descriptions[], bodies[], subjects[], associations[] and renditions[] whose
members carry their name). A document is one object, a list of them, or {"items": [...]}.

Dates follow the NewsML-G2 reader's rule (see parsers/newsml.py): a date without a zone is kept
and noted; an embargo without one is read at the latest instant it can mean.
"""

from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from typing import Any

from newsdesk.core import jsonguard
from newsdesk.ingest.parsers.newsml import ItemRefused, people_from_byline, wire_datetime
from newsdesk.ingest.stories import CANCELED, USABLE, WITHHELD, Feed, ParseError, Person, Picture, Story, Subject

# Deep enough for a list of items with associations and their renditions, shallow enough that a
# hostile document cannot make the readers below recurse far.
MAX_DEPTH = 16
_STATUSES = {"usable": USABLE, "withheld": WITHHELD, "canceled": CANCELED}
_PICTURE_TYPES = {"picture", "graphic"}


def parse_ninjs(data: bytes) -> Feed:
    """The stories of a NINJS document; ParseError when it is not JSON or not NINJS-shaped.

    Objects without a uri or a headline are left out with the reason in `Feed.skipped`.
    """
    document = _json(data)
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        objects = document["items"]
    elif isinstance(document, list):
        objects = document
    elif isinstance(document, dict):
        objects = [document]
    else:
        raise ParseError('not a NINJS object, a list of them or {"items": [...]}')
    feed = Feed()
    for number, item in enumerate(objects, start=1):
        try:
            feed.stories.append(_story(item, number))
        except ItemRefused as refusal:
            feed.skipped.append(str(refusal))
    return feed


def _json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(f"not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from error
    try:
        document = json.loads(text, parse_constant=jsonguard.refuse_constant)
    except json.JSONDecodeError as error:
        raise ParseError(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") from error
    except RecursionError as error:
        raise ParseError(f"nested deeper than {MAX_DEPTH} levels") from error
    except ValueError as error:  # NaN/Infinity, and numbers past Python's 4,300-digit limit
        raise ParseError(f"not valid JSON: {error}") from error
    if jsonguard.depth(document) > MAX_DEPTH:
        raise ParseError(f"nested deeper than {MAX_DEPTH} levels")
    return document


def _story(item: Any, number: int) -> Story:
    if not isinstance(item, dict):
        raise ItemRefused(f"item {number}: not a JSON object")
    guid = _string(item.get("uri"))
    headline = _string(item.get("headline")) or _role_value(item.get("headlines"), "main")
    if not guid or not headline:
        raise ItemRefused(f"item {guid or number}: no {'headline' if guid else 'uri'}")
    story = Story(guid=guid, headline=headline, version=_version(item.get("version"), guid))
    story.status = _status(item.get("pubstatus"), story)
    story.first_created = wire_datetime(_string(item.get("firstcreated")), "firstcreated", story)
    story.version_created = wire_datetime(_string(item.get("versioncreated")), "versioncreated", story)
    story.embargoed_until = wire_datetime(_string(item.get("embargoed")), "embargoed", story, embargo=True)
    story.standfirst = _standfirst(item)
    story.body_html = _body(item)
    story.slugline = _string(item.get("slugline"))
    story.located = _string(item.get("located"))
    story.bylines = _bylines(item)
    story.subjects = _subjects(item.get("subject")) + _subjects(item.get("subjects"))
    story.pictures = [picture for value in _associations(item) if (picture := _picture(value))]
    story.editor_note = _string(item.get("ednote"))
    story.language = _string(item.get("language"))
    story.rights = _string(item.get("copyrightnotice")) or _string(item.get("usageterms"))
    return story


def _version(value: Any, guid: str) -> int:
    if value is None or value == "":
        return 1
    try:
        version = int(value) if isinstance(value, int | str) and not isinstance(value, bool) else 0
    except ValueError:
        version = 0
    if version < 1:
        raise ItemRefused(f"item {guid}: version {value!r} is not a positive number")
    return version


def _status(value: Any, story: Story) -> str:
    if value is None:
        return USABLE
    status = _STATUSES.get(_string(value))
    if status is None:
        # An unknown status is not a permission to publish.
        story.problems.append(f"pubstatus {value!r} is not usable, withheld or canceled; held as withheld")
        return WITHHELD
    return status


def _standfirst(item: dict[str, Any]) -> str:
    text = _string(item.get("description_text")) or _text_of_html(_string(item.get("description_html")))
    if text:
        return text
    descriptions = [d for d in _list(item.get("descriptions")) if isinstance(d, dict)]
    chosen = [d for d in descriptions if "summary" in _string(d.get("role"))] or descriptions
    for description in chosen:
        value = _string(description.get("value"))
        if value:
            return _text_of_html(value) if "html" in _string(description.get("contenttype")) else value
    return ""


def _body(item: dict[str, Any]) -> str:
    if _string(item.get("body_html")):
        return _string(item.get("body_html"))
    bodies = [b for b in _list(item.get("bodies")) if isinstance(b, dict) and _string(b.get("value"))]
    for body in bodies:
        if "html" in _string(body.get("contenttype")) or "html" in _string(body.get("role")):
            return _string(body.get("value"))
    plain = _string(item.get("body_text")) or (_string(bodies[0].get("value")) if bodies else "")
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in plain.splitlines() if line.strip())


def _bylines(item: dict[str, Any]) -> list[Person]:
    people = []
    for entry in _list(item.get("bylines")):
        if isinstance(entry, dict):
            name = _string(entry.get("byline")) or _string(entry.get("name")) or _string(entry.get("value"))
            people += [Person(name=p.name, role=_string(entry.get("role")) or p.role) for p in people_from_byline(name)]
    return people or people_from_byline(_string(item.get("byline")) or _string(item.get("by")))


def _subjects(values: Any) -> list[Subject]:
    subjects = []
    for value in _list(values):
        if not isinstance(value, dict):
            continue
        code, scheme = _string(value.get("code")) or _string(value.get("literal")), _string(value.get("scheme"))
        if code and scheme and ":" not in code:
            code = f"{scheme}:{code}"
        code = code or _string(value.get("uri"))
        if code or _string(value.get("name")):
            subjects.append(Subject(code=code, name=_string(value.get("name"))))
    return subjects


def _associations(item: dict[str, Any]) -> list[Any]:
    associations = item.get("associations")
    if isinstance(associations, dict):
        # 1.x: an object keyed by name. "featuremedia" is the common name of the lead picture.
        names = sorted(associations, key=lambda name: name != "featuremedia")
        return [associations[name] for name in names]
    return _list(associations)


def _picture(association: Any) -> Picture | None:
    """A picture association's largest rendition, captioned with its description (or headline)."""
    if not isinstance(association, dict) or _string(association.get("type")) not in _PICTURE_TYPES:
        return None
    renditions = association.get("renditions")
    values = renditions.values() if isinstance(renditions, dict) else _list(renditions)
    usable = [r for r in values if isinstance(r, dict) and _string(r.get("href"))]
    if not usable:
        return None
    best = max(usable, key=lambda r: _number(r.get("width")) * _number(r.get("height")))
    caption = (
        _string(association.get("description_text"))
        or _role_value(association.get("descriptions"), "caption")
        or _string(association.get("headline"))
        or _role_value(association.get("headlines"), "main")
    )
    credit = _string(association.get("by")) or _string(association.get("byline"))
    credit = credit or _string(association.get("copyrightnotice"))
    return Picture(url=_string(best.get("href")), caption=caption, credit=credit)


def _role_value(values: Any, role: str) -> str:
    """The value of the member of a 2.x role-tagged array with `role`, else of its first member."""
    members = [m for m in _list(values) if isinstance(m, dict) and _string(m.get("value"))]
    chosen = [m for m in members if _string(m.get("role")) == role] or members
    return _string(chosen[0].get("value")) if chosen else ""


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else 0.0


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside script/style, whose content is not text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in {"script", "style"}

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in {"script", "style"} and self.hidden > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _text_of_html(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.parts).split())
