"""NewsML-G2 and NITF 3.x documents read into `Story` values.

NewsML-G2 (IPTC, https://iptc.org/standards/newsml-g2/): a newsItem is one story; a packageItem is
the story in its main group with the picture items it groups; a newsMessage carries several items
in its itemSet. NITF 3.x (https://iptc.org/standards/nitf/) is the single-story format of drop folders.

The documents come from outside: they are parsed with defusedxml, which refuses any DTD, entity
declaration or external reference (billion laughs, XXE), and nothing they point at is fetched;
links are returned in `Feed.item_links` for the caller to fetch through its guarded client.

Dates without a time zone: the item is kept (a story should not be lost over metadata) and the
problem is recorded in `Story.problems`. Created dates are read as UTC, which is at most a few hours
out. An embargo is read as ending at the latest moment the time could mean anywhere (UTC-12), so a
missing zone can delay a release but never lift an embargo early; an embargo that cannot be read at
all refuses the item, for the same reason.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLSyntaxError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from newsdesk.ingest.stories import CANCELED, USABLE, WITHHELD, Feed, ParseError, Person, Picture, Story, Subject

NAR = "http://iptc.org/std/nar/2006-10-01/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The latest zone in use is UTC-12 (Baker Island): a wall-clock time names no instant later than this.
_LATEST_OFFSET = datetime.timezone(datetime.timedelta(hours=-12))
_STATUSES = {"usable": USABLE, "withheld": WITHHELD, "canceled": CANCELED}
_PICTURE_CLASSES = {"ninat:picture", "ninat:graphic"}

# Body markup: HTML elements kept as they are, NITF elements given their HTML names, elements dropped
# with their content; anything else (NITF's person, org, money... spans, XHTML div/span) is unwrapped.
_KEPT = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "hr"),
    *("a", "b", "strong", "i", "em", "br", "q", "sub", "sup", "cite", "abbr"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figure", "figcaption", "img"),
}
_RENAMED = {"hl2": "h2", "bq": "blockquote"}
_DROPPED = {"script", "style", "head", "media", "object", "embed", "iframe", "fn", "note", "credit"}
_VOID = {"br", "hr", "img"}
_ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
}


def parse_newsml(data: bytes, *, base_url: str = "") -> Feed:
    """The stories of a NewsML-G2 newsItem, packageItem or newsMessage; ParseError if it is not one.

    Items that cannot be used (no guid, no headline, an unreadable embargo) are left out with the
    reason in `Feed.skipped`. A package whose items are not in the document gives the addresses of
    its text items in `Feed.item_links` (relative ones joined to `base_url`), nothing is fetched.
    """
    root = xml_root(data)
    if _namespace(root) != NAR or _local(root) not in {"newsItem", "packageItem", "newsMessage"}:
        raise ParseError(f"not a NewsML-G2 item or message (the root element is <{_local(root)}>)")
    items = root.findall(f"{{{NAR}}}itemSet/*") if _local(root) == "newsMessage" else [root]
    by_guid = {item.get("guid", ""): item for item in items if _local(item) == "newsItem"}
    # Packages first: the items they use (wherever they sit in the message) are not stories of their own.
    packages = {id(item): _read_package(item, by_guid, base_url) for item in items if _local(item) == "packageItem"}
    used = {guid for _, guids in packages.values() for guid in guids}
    feed = Feed()
    for item in items:
        if id(item) in packages:
            package_feed = packages[id(item)][0]
            feed.stories += package_feed.stories
            feed.skipped += package_feed.skipped
            feed.item_links += [link for link in package_feed.item_links if link not in feed.item_links]
        elif _local(item) == "newsItem" and item.get("guid", "") not in used:
            _add(feed, _news_item_story, item)
    return feed


def parse_nitf(data: bytes) -> Feed:
    """The story of a NITF 3.x document; ParseError if it is not one.

    doc-id/@id-string is the guid and du-key/@version the version (NITF has no other); date.issue
    is the version's date and date.release the embargo; docdata/@management-status the status.
    """
    root = xml_root(data)
    if _local(root) != "nitf":
        raise ParseError(f"not a NITF document (the root element is <{_local(root)}>)")
    feed = Feed()
    _add(feed, _nitf_story, root)
    return feed


def xml_root(data: bytes) -> Element:
    """The root element of an XML document from outside; ParseError for entities or bad XML.

    A DOCTYPE alone is allowed: agencies' NITF files name their DTD (`<!DOCTYPE nitf SYSTEM
    "nitf-3-6.dtd">`), which is never fetched or read. Entity declarations, internal or
    external (how expansion bombs and file reads get in), are refused.
    """
    try:
        return defusedxml.ElementTree.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ParseError(f"refused: a DOCTYPE or entity declarations ({type(error).__name__})") from error
    except XMLSyntaxError as error:
        line, column = error.position
        raise ParseError(f"not well-formed XML at line {line} column {column + 1}") from error


class ItemRefused(Exception):
    """This item cannot be used; the message says why (it goes to Feed.skipped)."""


def _add(feed: Feed, read: Callable[[Element], Story], element: Element) -> None:
    try:
        feed.stories.append(read(element))
    except ItemRefused as refusal:
        feed.skipped.append(str(refusal))


# NewsML-G2 ---------------------------------------------------------------------------------------


def _news_item_story(item: Element) -> Story:
    guid, meta, content = item.get("guid", "").strip(), _child(item, "itemMeta"), _child(item, "contentMeta")
    headline = _text(_child(content, "headline"))
    if not guid or not headline:
        raise ItemRefused(f"newsItem {guid or '(no guid)'}: no {'headline' if guid else 'guid'}")
    story = Story(guid=guid, headline=headline, version=_version(item.get("version"), guid))
    story.status = _status(_child(meta, "pubStatus"), story)
    story.first_created = wire_datetime(_text(_child(meta, "firstCreated")), "firstCreated", story)
    story.version_created = wire_datetime(_text(_child(meta, "versionCreated")), "versionCreated", story)
    story.embargoed_until = wire_datetime(_text(_child(meta, "embargoed")), "embargoed", story, embargo=True)
    story.editor_note = "\n".join(_text(note) for note in _children(meta, "edNote") if _text(note))
    story.slugline = _text(_child(content, "slugline"))
    story.dateline = _text(_child(content, "dateline"))
    story.located = _text(_child(_child(content, "located"), "name"))
    story.standfirst = _description(content, "drol:summary")
    story.bylines = _creators(content) or people_from_byline(_text(_child(content, "by")))
    story.subjects = [subject for element in _children(content, "subject") if (subject := _subject(element))]
    story.rights = _rights(item)
    language = _child(content, "language")
    story.language = (language.get("tag", "") if language is not None else "") or item.get(XML_LANG, "")
    story.body_html = _inline_body(_child(item, "contentSet"))
    if _item_class(item) in _PICTURE_CLASSES:
        story.pictures = [picture for picture in [_picture(item)] if picture]
    return story


def _read_package(package: Element, by_guid: dict[str, Element], base_url: str) -> tuple[Feed, set[str]]:
    """The package's main text item with the package's picture items as its pictures, and the guids used.

    The main item is the first non-picture itemRef reached from the group whose role is
    grpRole:main (or the root group), in document order through groupRefs. Other text items are
    stories of their own. When the main item is not in the document, the package is a list of
    links: the addresses of its text items not in the document.
    """
    feed, guid = Feed(), package.get("guid", "(no guid)")
    refs = list(_package_refs(package))
    texts = [ref for ref in refs if _ref_class(ref) not in _PICTURE_CLASSES]
    if not texts:
        feed.skipped.append(f"packageItem {guid}: no text item in its groups")
        return feed, set()
    main_guid = texts[0].get("residref", "")
    if main_guid not in by_guid:
        absent = [ref for ref in texts if ref.get("residref", "") not in by_guid and ref.get("href")]
        feed.item_links = list(dict.fromkeys(urljoin(base_url, ref.get("href", "").strip()) for ref in absent))
        if not feed.item_links:
            feed.skipped.append(f"packageItem {guid}: its main item {main_guid} is not in the document")
        return feed, set()
    try:
        story = _news_item_story(by_guid[main_guid])
    except ItemRefused as refusal:
        feed.skipped.append(f"packageItem {guid}: {refusal}")
        return feed, {main_guid}
    story.status = _stricter(story.status, _status(_child(_child(package, "itemMeta"), "pubStatus"), story))
    used = {main_guid}
    for ref in refs:
        residref = ref.get("residref", "")
        if _ref_class(ref) not in _PICTURE_CLASSES:
            continue
        picture = _picture(by_guid[residref]) if residref in by_guid else None
        if picture:
            story.pictures.append(picture)
            used.add(residref)
        else:
            story.problems.append(f"picture item {residref} of the package is not in the document")
    feed.stories.append(story)
    return feed, used


def _package_refs(package: Element) -> Iterator[Element]:
    group_set = _child(package, "groupSet")
    groups = {group.get("id", ""): group for group in _children(group_set, "group")}
    mains = [group for group in groups.values() if group.get("role", "").endswith(":main")]
    root = group_set.get("root", "") if group_set is not None else ""
    start = mains[0] if mains else groups.get(root)
    order = [start] if start is not None else []
    order += [group for group in groups.values() if group is not start]  # pictures may sit in other groups
    seen: set[str] = set()
    for group in order:
        yield from _group_refs(group, groups, seen)


def _group_refs(group: Element, groups: dict[str, Element], seen: set[str]) -> Iterator[Element]:
    # Iterative, with `seen`, because groupRefs may form a cycle in a hostile package.
    stack = [group]
    while stack:
        current = stack.pop()
        if current.get("id", "") in seen:
            continue
        seen.add(current.get("id", ""))
        for child in current:
            if _local(child) == "itemRef":
                yield child
            elif _local(child) == "groupRef" and child.get("idref", "") in groups:
                stack.append(groups[child.get("idref", "")])


def _ref_class(ref: Element) -> str:
    item_class = _child(ref, "itemClass")
    return item_class.get("qcode", "") if item_class is not None else ""


def _item_class(item: Element) -> str:
    meta = _child(item, "itemMeta")
    return _ref_class(meta) if meta is not None else ""


def _picture(item: Element) -> Picture | None:
    """A picture newsItem's largest rendition, captioned with its description (or headline)."""
    renditions = [rc for rc in _children(_child(item, "contentSet"), "remoteContent") if rc.get("href")]
    if not renditions:
        return None
    best = max(renditions, key=lambda rc: _int(rc.get("width")) * _int(rc.get("height")))
    content = _child(item, "contentMeta")
    caption = _description(content, "drol:caption") or _text(_child(content, "headline"))
    credit = _text(_child(content, "creditline")) or _rights(item) or _text(_child(content, "by"))
    return Picture(url=best.get("href", "").strip(), caption=caption, credit=credit)


def _status(pub_status: Element | None, story: Story) -> str:
    if pub_status is None:
        return USABLE
    qcode = pub_status.get("qcode", "")
    status = _STATUSES.get(qcode.split(":")[-1])
    if status is None:
        # An unknown status is not a permission to publish.
        story.problems.append(f"pubStatus {qcode!r} is not usable, withheld or canceled; held as withheld")
        return WITHHELD
    return status


def _stricter(first: str, second: str) -> str:
    order = [USABLE, WITHHELD, CANCELED]
    return max(first, second, key=order.index)


def _version(value: str | None, guid: str) -> int:
    if value is None or not value.strip():
        return 1
    try:
        version = int(value.strip())
    except ValueError:
        raise ItemRefused(f"item {guid}: version {value!r} is not a number") from None
    if version < 1:
        raise ItemRefused(f"item {guid}: version {version} is not a positive number")
    return version


def _creators(content: Element | None) -> list[Person]:
    people = []
    for creator in _children(content, "creator"):
        name = _text(_child(creator, "name"))
        if name:
            people.append(Person(name=name, role=_role_name(creator.get("role", ""))))
    return people


def _role_name(qcode: str) -> str:
    # "crol:correspondent" -> "Correspondent"; the scheme's code is the only name a role carries.
    code = qcode.split(":")[-1].strip()
    return code[:1].upper() + code[1:]


def _subject(element: Element) -> Subject | None:
    code = element.get("qcode", "") or element.get("uri", "")
    name = _text(_child(element, "name"))
    return Subject(code=code.strip(), name=name) if code or name else None


def _description(content: Element | None, role: str) -> str:
    descriptions = _children(content, "description")
    chosen = [d for d in descriptions if d.get("role") == role] or [d for d in descriptions if not d.get("role")]
    return _text(chosen[0]) if chosen else ""


def _rights(item: Element) -> str:
    rights = _child(item, "rightsInfo")
    notice = _text(_child(rights, "copyrightNotice")) or _text(_child(rights, "usageTerms"))
    return notice or _text(_child(_child(rights, "copyrightHolder"), "name"))


def _inline_body(content_set: Element | None) -> str:
    for inline in _children(content_set, "inlineXML"):
        kind = inline.get("contenttype", "").split(";")[0].strip()
        if kind == "application/nitf+xml":
            body = next((e for e in inline.iter() if _local(e) == "body.content"), None)
        elif kind == "application/xhtml+xml":
            body = next((e for e in inline.iter() if _local(e) == "body"), None)
        else:
            continue
        if body is not None:
            return body_markup(body)
    return ""


# NITF -------------------------------------------------------------------------------------------


def _nitf_story(root: Element) -> Story:
    head, body = _find(root, "head"), _find(root, "body")
    docdata, body_head = _find(head, "docdata"), _find(body, "body.head")
    doc_id = _find(docdata, "doc-id")
    guid = (doc_id.get("id-string", "") if doc_id is not None else "").strip()
    headline = _text(_find(_find(body_head, "hedline"), "hl1"))
    if not guid or not headline:
        raise ItemRefused(f"NITF document {guid or '(no doc-id)'}: no {'hl1 headline' if guid else 'doc-id'}")
    du_key = _find(docdata, "du-key")
    story = Story(guid=guid, headline=headline, version=_version(_attr(du_key, "version"), guid))
    release = _attr(_find(docdata, "date.release"), "norm")
    story.embargoed_until = wire_datetime(release, "date.release", story, embargo=True)
    story.status = _nitf_status(_attr(docdata, "management-status"), story)
    story.version_created = wire_datetime(_attr(_find(docdata, "date.issue"), "norm"), "date.issue", story)
    story.editor_note = _attr(_find(docdata, "ed-msg"), "info")
    copyright_ = _find(docdata, "doc.copyright")
    story.rights = " ".join(filter(None, ["©", _attr(copyright_, "year"), _attr(copyright_, "holder")]))
    story.rights = "" if story.rights == "©" else story.rights
    story.bylines = [person for byline in _finds(body_head, "byline") for person in _nitf_byline(byline)]
    dateline = _find(body_head, "dateline")
    story.dateline = _text(_find(dateline, "location")) or _text(dateline)
    story.located = _text(_find(_find(dateline, "location"), "city"))
    story.standfirst = _text(_find(body_head, "abstract"))
    story.subjects = _nitf_subjects(head, docdata)
    story.language = root.get(XML_LANG, "") or _attr(body, XML_LANG)
    body_content = _find(body, "body.content")
    story.body_html = body_markup(body_content) if body_content is not None else ""
    return story


def _nitf_status(status: str, story: Story) -> str:
    # NITF 3.1 added "embargoed" beside the NewsML statuses: usable once date.release has passed.
    if status == "embargoed":
        if story.embargoed_until is None:
            story.problems.append("management-status is embargoed with no date.release; held as withheld")
            return WITHHELD
        return USABLE
    if status and status not in _STATUSES:
        story.problems.append(f"management-status {status!r} is not a NITF status; held as withheld")
        return WITHHELD
    return _STATUSES.get(status, USABLE)


def _nitf_byline(byline: Element) -> list[Person]:
    title = _text(_find(byline, "byttl"))
    person = _find(byline, "person")
    if person is not None:
        return [Person(name=_text(person), role=title)]
    words = (byline.text or "").strip()
    people = people_from_byline(words)
    return [Person(name=p.name, role=p.role or title) for p in people]


def _nitf_subjects(head: Element | None, docdata: Element | None) -> list[Subject]:
    subjects = []
    for element in _finds(_find(head, "tobject"), "tobject.subject"):
        refnum = _attr(element, "tobject.subject.refnum")
        name = _attr(element, "tobject.subject.matter") or _attr(element, "tobject.subject.type")
        if refnum or name:
            subjects.append(Subject(code=f"subj:{refnum}" if refnum else "", name=name))
    for keyword in _finds(_find(docdata, "key-list"), "keyword"):
        if _attr(keyword, "key"):
            subjects.append(Subject(code="", name=_attr(keyword, "key")))
    return subjects


# Shared with ninjs.py ----------------------------------------------------------------------------


def wire_datetime(value: str, field: str, story: Story, *, embargo: bool = False) -> datetime.datetime | None:
    """An aware datetime from an ISO 8601 value (extended or NITF's basic form); None when empty.

    No zone: read as UTC, or for an embargo as UTC-12 (the latest it can mean), and noted in
    `story.problems`. An unreadable date is dropped with a note; an unreadable embargo refuses the item.
    """
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        if embargo:
            raise ItemRefused(f"item {story.guid}: the {field} date {value!r} cannot be read") from None
        story.problems.append(f"{field} {value!r} is not an ISO 8601 date; dropped")
        return None
    if moment.tzinfo is None:
        zone = _LATEST_OFFSET if embargo else datetime.UTC
        story.problems.append(f"{field} {value!r} has no time zone; read as {'UTC-12' if embargo else 'UTC'}")
        moment = moment.replace(tzinfo=zone)
    return moment


_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)


_AND = re.compile(r"\s+(?:and|&)\s+|\s*,\s*", re.IGNORECASE)


def people_from_byline(text: str) -> list[Person]:
    """People in a free-text byline: "By Ana Lima and Tom Berg, Correspondents" -> two people.

    Text after the last comma is the role ("Correspondents", "Example Agency"), unless it joins
    names itself ("By Ana Lima, Tom Berg and Eva Roe"): then every part is a name.
    """
    text = _BY.sub("", " ".join(text.split()))
    names, _, role = text.rpartition(",")
    if not names or re.search(r"\s(?:and|&)\s", role, re.IGNORECASE):
        names, role = text, ""
    return [Person(name=name.strip(), role=role.strip()) for name in _AND.split(names) if name.strip()]


def body_markup(element: Element) -> str:
    """The HTML of an (X)HTML or NITF element's content, namespaces dropped, NITF names mapped to HTML."""
    return html.escape(element.text or "", quote=False) + "".join(_markup(child) for child in element)


def _markup(element: Element) -> str:
    name = _RENAMED.get(_local(element), _local(element))
    tail = html.escape(element.tail or "", quote=False)
    if name in _DROPPED:
        return tail
    inner = body_markup(element)
    if name not in _KEPT:
        return inner + tail
    attributes = "".join(
        f' {attribute}="{html.escape(element.get(attribute, ""))}"'
        for attribute in _ATTRIBUTES.get(name, ())
        if element.get(attribute) is not None
    )
    if name in _VOID:
        return f"<{name}{attributes}>{tail}"
    return f"<{name}{attributes}>{inner}</{name}>{tail}"


# Element helpers: NewsML-G2 children are looked up in its namespace, NITF's in any (it may have one or none).


def _local(element: Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _namespace(element: Element) -> str:
    return element.tag[1:].partition("}")[0] if element.tag.startswith("{") else ""


def _child(parent: Element | None, name: str) -> Element | None:
    return parent.find(f"{{{NAR}}}{name}") if parent is not None else None


def _children(parent: Element | None, name: str) -> list[Element]:
    return parent.findall(f"{{{NAR}}}{name}") if parent is not None else []


def _find(parent: Element | None, name: str) -> Element | None:
    return next(_finds(parent, name), None)


def _finds(parent: Element | None, name: str) -> Iterator[Element]:
    return (child for child in (parent if parent is not None else ()) if _local(child) == name)


def _attr(element: Element | None, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _int(value: str | None) -> int:
    return int(value) if value and value.strip().isdigit() else 0
