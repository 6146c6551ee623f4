"""Wire documents for tests and benchmarks: NewsML-G2 items, packages and messages, NITF, NINJS 1.x/2.x.

Shapes follow the IPTC specifications (NewsML-G2 2.x, NITF 3.x, ninjs 1.x and 2.0 schemas); the
stories are invented. Every builder is deterministic and fills in defaults, so a test names only
what it is about. The XML builders return bytes; `newsml_message` takes the bytes of items.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

NAR = "http://iptc.org/std/nar/2006-10-01/"
NITF = "http://iptc.org/std/NITF/2006-10-18/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

GUID = "urn:newsml:example.org:20261130:harbour-ferry"
HEADLINE = "Night ferry returns to the harbour route after two winters"
PARAGRAPHS = (
    "The night ferry across the harbour will run again from Monday, the port authority said.",
    "Commuters had crossed by the ring road since the old boat was withdrawn.",
)
WHEN = "2026-11-30T09:00:00Z"

ET.register_namespace("", NAR)
ET.register_namespace("nitf", NITF)
ET.register_namespace("xhtml", XHTML)


@dataclass(frozen=True)
class WirePicture:
    guid: str = "urn:newsml:example.org:20261130:harbour-ferry-photo"
    href: str = "https://media.example.org/photos/harbour-ferry.jpg"
    caption: str = "The ferry at its berth on the east quay."
    credit: str = "Photo: Example Agency"
    width: int = 2048
    height: int = 1365


def _nar(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAR}}}{name}", attributes)
    element.text = text
    return element


def _bytes(element: ET.Element) -> bytes:
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _fragment(namespace: str, tag: str, markup: str) -> ET.Element:
    """An element holding raw markup (for bodies with links, lists or hostile elements)."""
    return ET.fromstring(f'<{tag} xmlns="{namespace}">{markup}</{tag}>')


def _body_markup(paragraphs: tuple[str, ...] | list[str], body_markup: str | None) -> str:
    if body_markup is not None:
        return body_markup
    paragraph = ET.Element("p")
    parts = []
    for text in paragraphs:
        paragraph.text = text
        parts.append(ET.tostring(paragraph, encoding="unicode"))
    return "".join(parts)


def newsml_item_element(
    *,
    guid: str = GUID,
    version: int | None = 1,
    item_class: str = "ninat:text",
    headline: str = HEADLINE,
    body_paragraphs: tuple[str, ...] | list[str] = PARAGRAPHS,
    body_markup: str | None = None,
    body_format: str = "nitf",
    subjects: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (("medtop:20000763", "housing"),),
    pub_status: str = "usable",
    first_created: str = WHEN,
    version_created: str = WHEN,
    embargo: str | None = None,
    ednote: str = "",
    slugline: str = "harbour-ferry",
    dateline: str = "PORTHAVEN",
    located: str = "Porthaven",
    by: str = "",
    creators: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (("Ines Marlow", "crol:correspondent"),),
    summary: str = "The crossing takes eleven minutes and runs every half hour.",
    copyright_notice: str = "Copyright 2026 Example Agency",
    usage_terms: str = "",
    language: str = "en",
    renditions: tuple[tuple[str, int, int], ...] | list[tuple[str, int, int]] = (),
    caption: str = "",
    creditline: str = "",
) -> ET.Element:
    """A NewsML-G2 newsItem; with item_class="ninat:picture" and renditions, a picture item."""
    item = ET.Element(f"{{{NAR}}}newsItem", {"guid": guid, "standard": "NewsML-G2", "standardversion": "2.33"})
    if version is not None:
        item.set("version", str(version))
    item.set(XML_LANG, language)
    _nar(item, "catalogRef", href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml")
    if copyright_notice or usage_terms:
        rights = _nar(item, "rightsInfo")
        if copyright_notice:
            _nar(rights, "copyrightNotice", copyright_notice)
        if usage_terms:
            _nar(rights, "usageTerms", usage_terms)
    meta = _nar(item, "itemMeta")
    _nar(meta, "itemClass", qcode=item_class)
    _nar(meta, "provider", qcode="nprov:ExampleAgency")
    if version_created:
        _nar(meta, "versionCreated", version_created)
    if first_created:
        _nar(meta, "firstCreated", first_created)
    if embargo:
        _nar(meta, "embargoed", embargo)
    _nar(meta, "pubStatus", qcode=f"stat:{pub_status}")
    if ednote:
        _nar(meta, "edNote", ednote)
    content = _nar(item, "contentMeta")
    if located:
        _nar(_nar(content, "located", qcode="city:porthaven"), "name", located)
    for name, role in creators:
        _nar(_nar(content, "creator", role=role), "name", name)
    for code, name in subjects:
        _nar(_nar(content, "subject", type="cpnat:abstract", qcode=code), "name", name)
    if slugline:
        _nar(content, "slugline", slugline)
    if headline:
        _nar(content, "headline", headline)
    if dateline:
        _nar(content, "dateline", dateline)
    if by:
        _nar(content, "by", by)
    if creditline:
        _nar(content, "creditline", creditline)
    if summary:
        _nar(content, "description", summary, role="drol:summary")
    if caption:
        _nar(content, "description", caption, role="drol:caption")
    _nar(content, "language", tag=language)
    content_set = _nar(item, "contentSet")
    if renditions:
        for href, width, height in renditions:
            _nar(
                content_set, "remoteContent", href=href, contenttype="image/jpeg", width=str(width), height=str(height)
            )
    elif body_format == "nitf":
        inline = _nar(content_set, "inlineXML", contenttype="application/nitf+xml")
        nitf = ET.SubElement(inline, f"{{{NITF}}}nitf")
        body = ET.SubElement(nitf, f"{{{NITF}}}body")
        body.append(_fragment(NITF, "body.content", _body_markup(body_paragraphs, body_markup)))
    else:
        inline = _nar(content_set, "inlineXML", contenttype="application/xhtml+xml")
        page = ET.SubElement(inline, f"{{{XHTML}}}html")
        ET.SubElement(ET.SubElement(page, f"{{{XHTML}}}head"), f"{{{XHTML}}}title").text = headline
        page.append(_fragment(XHTML, "body", _body_markup(body_paragraphs, body_markup)))
    return item


def newsml_item(**fields: Any) -> bytes:
    """A NewsML-G2 newsItem document (see newsml_item_element for the fields and their defaults)."""
    return _bytes(newsml_item_element(**fields))


def newsml_picture(picture: WirePicture = WirePicture(), **fields: Any) -> bytes:
    """A NewsML-G2 picture newsItem with one rendition."""
    return _bytes(newsml_picture_element(picture, **fields))


def newsml_picture_element(picture: WirePicture, **fields: Any) -> ET.Element:
    defaults: dict[str, Any] = {
        "guid": picture.guid,
        "item_class": "ninat:picture",
        "headline": "Ferry at the east quay",
        "renditions": [(picture.href, picture.width, picture.height)],
        "caption": picture.caption,
        "creditline": picture.credit,
        "summary": "",
        "creators": [],
        "subjects": [],
    }
    return newsml_item_element(**(defaults | fields))


def newsml_package(
    *,
    guid: str = "urn:newsml:example.org:20261130:harbour-ferry-package",
    version: int = 1,
    main_refs: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ((GUID, ""),),
    picture_refs: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
    pub_status: str = "usable",
) -> bytes:
    """A NewsML-G2 packageItem: a root group pointing at a main group (text itemRefs) and a pictures group.

    Refs are (residref, href) pairs; an empty href leaves the attribute out.
    """
    package = ET.Element(f"{{{NAR}}}packageItem", {"guid": guid, "version": str(version), "standard": "NewsML-G2"})
    meta = _nar(package, "itemMeta")
    _nar(meta, "itemClass", qcode="ninat:composite")
    _nar(meta, "versionCreated", WHEN)
    _nar(meta, "pubStatus", qcode=f"stat:{pub_status}")
    group_set = _nar(package, "groupSet", root="G0")
    root = _nar(group_set, "group", id="G0", role="grpRole:root")
    _nar(root, "groupRef", idref="G1")
    _nar(root, "groupRef", idref="G2")
    for group_id, role, refs, item_class in (
        ("G1", "grpRole:main", main_refs, "ninat:text"),
        ("G2", "grpRole:pictures", picture_refs, "ninat:picture"),
    ):
        group = _nar(group_set, "group", id=group_id, role=role)
        for residref, href in refs:
            attributes = {"residref": residref, "contenttype": "application/vnd.iptc.g2.newsitem+xml"}
            ref = _nar(group, "itemRef", **(attributes | ({"href": href} if href else {})))
            _nar(ref, "itemClass", qcode=item_class)
    return _bytes(package)


def newsml_message(*items: bytes) -> bytes:
    """A NewsML-G2 newsMessage carrying the given item documents in its itemSet."""
    message = ET.Element(f"{{{NAR}}}newsMessage")
    header = _nar(message, "header")
    _nar(header, "sent", WHEN)
    _nar(header, "sender", "example.org")
    item_set = _nar(message, "itemSet")
    for item in items:
        item_set.append(ET.fromstring(item))
    return _bytes(message)


def newsml_story_with_pictures(pictures: list[WirePicture] | None = None, **fields: Any) -> bytes:
    """A newsMessage with a package, its text item and its picture items: the usual wire delivery."""
    pictures = [WirePicture()] if pictures is None else pictures
    guid = fields.get("guid", GUID)
    return newsml_message(
        newsml_package(main_refs=[(guid, "")], picture_refs=[(p.guid, "") for p in pictures]),
        newsml_item(**fields),
        *(newsml_picture(picture) for picture in pictures),
    )


def nitf_document(
    *,
    doc_id: str = "EXA-20261130-0042",
    headline: str = HEADLINE,
    body_paragraphs: tuple[str, ...] | list[str] = PARAGRAPHS,
    body_markup: str | None = None,
    byline: str = "By Ines Marlow",
    byline_title: str = "Harbour Correspondent",
    city: str = "Porthaven",
    abstract: str = "The crossing takes eleven minutes and runs every half hour.",
    issued: str = "20261130T090000Z",
    release: str | None = None,
    status: str | None = None,
    ed_msg: str = "",
    version: int | None = None,
    subjects: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (("04000000", "economy, business and finance"),),
    keywords: tuple[str, ...] | list[str] = ("ferries",),
    copyright_holder: str = "Example Agency",
    copyright_year: str = "2026",
    language: str = "en",
) -> bytes:
    """A NITF 3.x document (no namespace, no DOCTYPE) with head/docdata and body head, content and end."""
    nitf = ET.Element("nitf", {"version": "-//IPTC//DTD NITF 3.6//EN", XML_LANG: language})
    head = ET.SubElement(nitf, "head")
    ET.SubElement(head, "title").text = headline
    tobject = ET.SubElement(head, "tobject", {"tobject.type": "news"})
    for refnum, matter in subjects:
        ET.SubElement(tobject, "tobject.subject", {"tobject.subject.refnum": refnum, "tobject.subject.matter": matter})
    docdata = ET.SubElement(head, "docdata")
    if status:
        docdata.set("management-status", status)
    if doc_id:
        ET.SubElement(docdata, "doc-id", {"regsrc": "EXA", "id-string": doc_id})
    if issued:
        ET.SubElement(docdata, "date.issue", {"norm": issued})
    if release:
        ET.SubElement(docdata, "date.release", {"norm": release})
    if ed_msg:
        ET.SubElement(docdata, "ed-msg", {"info": ed_msg})
    if version is not None:
        ET.SubElement(docdata, "du-key", {"generation": "1", "part": "1", "version": str(version), "key": "ferry"})
    if copyright_holder:
        ET.SubElement(docdata, "doc.copyright", {"year": copyright_year, "holder": copyright_holder})
    key_list = ET.SubElement(docdata, "key-list")
    for keyword in keywords:
        ET.SubElement(key_list, "keyword", {"key": keyword})
    body = ET.SubElement(nitf, "body")
    body_head = ET.SubElement(body, "body.head")
    hedline = ET.SubElement(body_head, "hedline")
    if headline:
        ET.SubElement(hedline, "hl1").text = headline
    if byline:
        byline_element = ET.SubElement(body_head, "byline")
        byline_element.text = byline
        if byline_title:
            ET.SubElement(byline_element, "byttl").text = byline_title
    if city:
        location = ET.SubElement(ET.SubElement(body_head, "dateline"), "location")
        ET.SubElement(location, "city").text = city
    if abstract:
        ET.SubElement(ET.SubElement(body_head, "abstract"), "p").text = abstract
    body.append(ET.fromstring(f"<body.content>{_body_markup(body_paragraphs, body_markup)}</body.content>"))
    ET.SubElement(ET.SubElement(body, "body.end"), "tagline").text = "Example Agency"
    return _bytes(nitf)


def ninjs_object(
    *,
    version: str = "2.0",
    uri: str = GUID,
    item_version: str | int | None = "1",
    headline: str = HEADLINE,
    body_paragraphs: tuple[str, ...] | list[str] = PARAGRAPHS,
    body_html: str | None = None,
    byline: str = "Ines Marlow",
    subjects: tuple[tuple[str, str], ...] | list[tuple[str, str] | dict[str, str]] = (("medtop:20000763", "housing"),),
    pubstatus: str | None = "usable",
    firstcreated: str = WHEN,
    versioncreated: str = WHEN,
    embargoed: str | None = None,
    ednote: str = "",
    pictures: list[WirePicture] | tuple[WirePicture, ...] = (),
    description: str = "The crossing takes eleven minutes and runs every half hour.",
    located: str = "Porthaven",
    language: str = "en",
    copyrightnotice: str = "Copyright 2026 Example Agency",
    **extra: Any,
) -> dict[str, Any]:
    """A NINJS object in the 1.x shape (version "1.x") or the 2.x shape (version "2.x").

    Subjects are (scheme-qualified code, name) pairs, or objects passed through as given; any other
    NINJS property can be given as a keyword and replaces what the builder would write.
    """
    html = body_html if body_html is not None else _body_markup(body_paragraphs, None)
    second = version.startswith("2")
    item: dict[str, Any] = {"uri": uri, "type": "text"}
    if second:
        item["standard"] = {
            "name": "ninjs",
            "version": version,
            "schema": f"http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json",
        }
    if item_version is not None:
        item["version"] = item_version
    if pubstatus is not None:
        item["pubstatus"] = pubstatus
    item |= {"firstcreated": firstcreated, "versioncreated": versioncreated}
    if embargoed:
        item["embargoed"] = embargoed
    if ednote:
        item["ednote"] = ednote
    item |= {"language": language, "located": located, "copyrightnotice": copyrightnotice}
    if second:
        item["headlines"] = [{"role": "main", "value": headline}] if headline else []
        item["descriptions"] = [{"role": "summary", "value": description}] if description else []
        item["bodies"] = [{"role": "main", "contenttype": "text/html", "value": html}]
        item["by"] = byline
        item["subjects"] = [_ninjs_2_subject(subject) for subject in subjects]
        item["associations"] = [{"name": f"picture{n}"} | _ninjs_picture(p, second) for n, p in enumerate(pictures)]
    else:
        if headline:
            item["headline"] = headline
        item |= {"description_text": description, "body_html": html, "byline": byline}
        item["subject"] = [_ninjs_1_subject(subject) for subject in subjects]
        names = ["featuremedia"] + [f"picture{n}" for n in range(1, len(pictures))]
        item["associations"] = {name: _ninjs_picture(p, second) for name, p in zip(names, pictures, strict=False)}
    return item | extra


def _ninjs_2_subject(subject: tuple[str, str] | dict[str, str]) -> dict[str, str]:
    if isinstance(subject, dict):
        return subject
    return {"literal": subject[0], "name": subject[1], "rel": "about"}


def _ninjs_1_subject(subject: tuple[str, str] | dict[str, str]) -> dict[str, str]:
    if isinstance(subject, dict):
        return subject
    code, name = subject
    scheme, _, local = code.rpartition(":")
    return {"scheme": scheme, "code": local, "name": name} if scheme else {"code": code, "name": name}


def _ninjs_picture(picture: WirePicture, second: bool) -> dict[str, Any]:
    rendition = {"href": picture.href, "mimetype": "image/jpeg", "width": picture.width, "height": picture.height}
    thumbnail = {"href": picture.href.replace(".jpg", "-thumb.jpg"), "width": 200, "height": 133}
    association: dict[str, Any] = {
        "uri": picture.guid,
        "type": "picture",
        "description_text": picture.caption,
        "by": picture.credit,
    }
    if second:
        association["renditions"] = [{"name": "thumbnail"} | thumbnail, {"name": "original"} | rendition]
    else:
        association["renditions"] = {"thumbnail": thumbnail, "original": rendition}
    return association


def ninjs_document(**fields: Any) -> bytes:
    """One NINJS object as a JSON document (see ninjs_object for the fields and their defaults)."""
    return json.dumps(ninjs_object(**fields), ensure_ascii=False).encode()


def ninjs_list(*objects: dict[str, Any], wrapped: bool = False) -> bytes:
    """Several NINJS objects: a JSON array, or {"items": [...]} when wrapped."""
    return json.dumps({"items": list(objects)} if wrapped else list(objects)).encode()
