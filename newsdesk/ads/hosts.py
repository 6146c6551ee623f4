"""Where image ads may send readers: the Admins' allow-list of hosts, and hosts as people read them.

Hosts are compared in their ASCII form (IDNA, RFC 5891: "bücher.example" is
"xn--bcher-kva.example"), so an entry typed either way matches a link written either way.
Admins see every host decoded, with a warning when it is an internationalised name that
mixes scripts or imitates a Latin one: "xn--pple-43d.com" is shown as "apple.com" spelt
with a Cyrillic "a" (U+0430), not as an opaque string nobody checks.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsdesk.core import lookalikes

PUNYCODE_PREFIX = "xn--"


def ascii_host(host: str) -> str:
    """The host in lower-case ASCII (IDNA); unchanged but lower-cased if it cannot be encoded."""
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def decoded_host(host: str) -> str:
    """The host as a reader sees it in the address bar: punycode labels decoded."""
    labels = []
    for label in ascii_host(host).split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.startswith(PUNYCODE_PREFIX) else label)
        except UnicodeError:
            labels.append(label)
    return ".".join(labels)


def allow_list(text: str) -> list[str]:
    """The hosts of the settings' list, one per line, in ASCII; "*.example.com" keeps its star."""
    hosts = []
    for line in text.splitlines():
        entry = line.strip()
        if entry.startswith("*."):
            hosts.append("*." + ascii_host(entry[2:]))
        elif entry:
            hosts.append(ascii_host(entry))
    return hosts


def host_allowed(url: str, allowed: list[str]) -> bool:
    """True if the link's host is on the list (an empty list allows every host)."""
    if not allowed:
        return True
    host = ascii_host(urlsplit(url).hostname or "")
    return bool(host) and any(
        host.endswith(entry[1:]) if entry.startswith("*.") else host == entry for entry in allowed
    )


def validate_allow_list(text: str) -> None:
    bad = [line.strip() for line in text.splitlines() if line.strip() and not _looks_like_host(line.strip())]
    if bad:
        raise ValidationError(
            gettext_lazy("Write one host per line, such as “shop.example.com” or “*.example.com”: %(lines)s"),
            params={"lines": "; ".join(bad[:5])},
        )


def _looks_like_host(entry: str) -> bool:
    host = ascii_host(entry.removeprefix("*."))
    labels = host.split(".")
    return len(labels) >= 2 and all(
        label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii() for label in labels
    )


def host_warning(host: str) -> str:
    """What an Admin should know before trusting the host: empty for a plain ASCII one."""
    ascii_form, decoded = ascii_host(host), decoded_host(host)
    if decoded == ascii_form:
        return ""
    notes = [_("internationalised name %(ascii)s") % {"ascii": ascii_form}]
    for label in decoded.split("."):
        found = lookalikes.scripts(label)
        if len(found) > 1:
            notes.append(_("mixes %(scripts)s letters") % {"scripts": " and ".join(sorted(s.title() for s in found))})
            break
    reading = lookalikes.latin_reading(decoded)
    if reading != decoded and reading.isascii():
        notes.append(_("reads like %(host)s") % {"host": reading})
    return "; ".join(notes)


def host_for_admins(url: str) -> str:
    """The link's host decoded, followed by a warning when there is one."""
    host = urlsplit(url).hostname or ""
    if not host:
        return ""
    warning = host_warning(host)
    return f"{decoded_host(host)} ⚠ {warning}" if warning else decoded_host(host)
