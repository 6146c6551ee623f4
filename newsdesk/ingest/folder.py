"""A drop folder: where an agency's FTP/SFTP delivery lands one file per story or package.

The contract with the uploader: a file is ours once it has stopped changing for a few seconds
and does not carry an upload client's temporary name. Every file we took ends up in `done/` or
`failed/` beside it and is never deleted, so a delivery can always be looked at again, and a
file that has been moved is no longer pending, so it is never read twice. One worker per folder:
the moves are safe against overwriting, not against two readers taking the same file.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from newsdesk.ingest.stories import ParseError

MAX_BYTES = 20 * 1024 * 1024
SETTLE_SECONDS = 2.0
DONE, FAILED = "done", "failed"
REASON_SUFFIX = ".reason.txt"
# Upload clients write under a temporary name and rename when complete: WinSCP ".filepart",
# lftp/FileZilla/browsers ".part", many scripts ".tmp"; rsync and others use a leading dot.
_PARTIAL_SUFFIXES = (".tmp", ".part", ".filepart")

NEWSML_G2, NITF, NINJS = "newsml-g2", "nitf", "ninjs"
_G2_ROOTS = frozenset({"newsItem", "packageItem", "newsMessage", "conceptItem", "knowledgeItem", "planningItem"})
# The first element's name, past the XML declaration, comments, processing instructions and a DOCTYPE.
_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def pending_files(folder: Path, *, settle_seconds: float = SETTLE_SECONDS, now: float | None = None) -> list[Path]:
    """Files directly in `folder` ready to be read, oldest first (modification time, then name).

    Left out: hidden and partial uploads (see _PARTIAL_SUFFIXES), anything changed within the
    last `settle_seconds` before `now` (default: the clock), subfolders, and symbolic links that
    lead out of the folder (an uploader must not make us read, then move, files elsewhere).
    """
    now = time.time() if now is None else now
    inside = folder.resolve()
    ready: list[tuple[float, str, Path]] = []
    for path in folder.iterdir():
        if _is_partial(path.name):
            continue
        if path.is_symlink() and path.resolve().parent != inside:
            continue
        try:
            status = path.stat()
        except FileNotFoundError:  # moved by the uploader, or a dangling link
            continue
        if not path.is_file() or status.st_mtime > now - settle_seconds:
            continue
        ready.append((status.st_mtime, path.name, path))
    return [path for _, _, path in sorted(ready)]


def read_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; ParseError when it holds more than `max_bytes`."""
    with path.open("rb") as handle:
        # Read one byte past the cap rather than trust the size: the file may still be growing.
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ParseError(f"file too big: more than {max_bytes} bytes")
    return data


def kind_of(path: Path, data: bytes) -> str:
    """NEWSML_G2, NITF or NINJS, from the file's first bytes; ParseError when it is none of them.

    The content decides, not the extension: agencies name NewsML-G2 and NITF files alike ".xml"
    (or ".txt", or nothing), and a ".json" holding XML is read as the XML it is.
    """
    head = _COMMENT.sub("", _head_text(data)).lstrip()
    if head.startswith(("{", "[")):
        return NINJS
    match = _ROOT.search(head) if head.startswith("<") else None
    root = match.group(1) if match else ""
    if root in _G2_ROOTS:
        return NEWSML_G2
    if root == "nitf":
        return NITF
    if root:
        raise ParseError(f"{path.name}: an XML document of unknown kind (root element {root!r})")
    raise ParseError(f"{path.name}: neither NewsML-G2, NITF nor NINJS")


def move_done(path: Path) -> Path:
    """Move a file that was read into `done/`; returns where it now is."""
    return _move(path, path.parent / DONE)


def move_failed(path: Path, reason: str) -> Path:
    """Move a file that could not be read into `failed/`, with `<name>.reason.txt` beside it."""
    target = _move(path, path.parent / FAILED, reserve=REASON_SUFFIX)
    with (target.parent / (target.name + REASON_SUFFIX)).open("x", encoding="utf-8") as note:
        note.write(reason.rstrip() + "\n")
    return target


def _is_partial(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(_PARTIAL_SUFFIXES)


def _head_text(data: bytes) -> str:
    head = data[:4096]
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _move(path: Path, into: Path, *, reserve: str = "") -> Path:
    """Move `path` into the folder `into` under a name not taken yet ("story-1.xml" when "story.xml" is).

    A hard link fails when its name exists, so no file is ever overwritten (os.rename would
    replace it silently); the original name is removed only once the new one holds the file.
    `reserve` is a suffix whose file must not exist either (the reason note).
    """
    into.mkdir(exist_ok=True)
    for attempt in range(10_000):
        name = path.name if attempt == 0 else f"{path.stem}-{attempt}{path.suffix}"
        target = into / name
        if reserve and (into / (name + reserve)).exists():
            continue
        try:
            os.link(path, target, follow_symlinks=False)
        except FileExistsError:
            continue
        path.unlink()
        return target
    raise FileExistsError(f"no free name for {path.name} in {into}")
