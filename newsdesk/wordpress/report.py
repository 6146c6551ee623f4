"""What an import run did: counts per kind and outcome, and every problem, picture gap and redirect."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
OUTCOMES = (CREATED, UPDATED, UNCHANGED, SKIPPED)
# Lists in the report are capped so that an export with a million comments on one broken
# theme does not make a report of a million lines; the counts stay exact.
LIST_CAP = 5000


@dataclass
class Report:
    source: str = ""
    dry_run: bool = False
    items: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    skip_reasons: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    problems: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    unknown: Counter[str] = field(default_factory=Counter)
    unknown_where: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    missing_pictures: list[dict[str, str]] = field(default_factory=list)
    redirects: list[dict[str, str]] = field(default_factory=list)
    truncated: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str, outcome: str, reason: str = "") -> None:
        self.counts[kind][outcome] += 1
        if outcome == SKIPPED and reason:
            self.skip_reasons[kind][reason] += 1

    def _add(self, name: str, target: list[Any], entry: Any) -> None:
        if len(target) < LIST_CAP:
            target.append(entry)
        else:
            self.truncated[name] += 1

    def problem(self, item: str, message: str) -> None:
        self._add("problems", self.problems, {"item": item, "problem": message})

    def note(self, item: str, message: str) -> None:
        self._add("notes", self.notes, {"item": item, "note": message})

    def unknown_markup(self, name: str, item: str) -> None:
        self.unknown[name] += 1
        if len(self.unknown_where[name]) < 20:
            self.unknown_where[name].append(item)

    def missing_picture(self, item: str, picture: str, why: str) -> None:
        self._add("missing_pictures", self.missing_pictures, {"item": item, "picture": picture, "why": why})

    def redirect(self, old: str, new: str) -> None:
        self._add("redirects", self.redirects, {"from": old, "to": new})

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "items": self.items,
            "counts": {
                kind: {outcome: counter[outcome] for outcome in OUTCOMES} for kind, counter in self.counts.items()
            },
            "skipped": {kind: dict(reasons) for kind, reasons in self.skip_reasons.items()},
            "problems": self.problems,
            "notes": self.notes,
            "unknown_markup": {
                name: {"count": count, "items": self.unknown_where[name]} for name, count in self.unknown.most_common()
            },
            "missing_pictures": self.missing_pictures,
            "redirects": self.redirects,
            "not_listed": dict(self.truncated),
        }

    def lines(self) -> list[str]:
        """The report as a person reads it at the end of the command."""
        heading = "Dry run: nothing was written." if self.dry_run else "Import finished."
        out = [heading, f"Source: {self.source}   items in the file: {self.items}", ""]
        out.append(f"{'':14}{'created':>9}{'updated':>9}{'unchanged':>11}{'skipped':>9}")
        for kind in sorted(self.counts):
            counter = self.counts[kind]
            out.append(
                f"{kind:14}{counter[CREATED]:>9}{counter[UPDATED]:>9}{counter[UNCHANGED]:>11}{counter[SKIPPED]:>9}"
            )
        for kind in sorted(self.skip_reasons):
            for reason, number in self.skip_reasons[kind].most_common():
                out.append(f"  skipped {kind}: {reason} ({number})")
        if self.problems:
            out += ["", f"Problems ({len(self.problems)}):"]
            out += [f"  {entry['item']}: {entry['problem']}" for entry in self.problems]
        if self.notes:
            out += ["", f"Notes ({len(self.notes)}):"]
            out += [f"  {entry['item']}: {entry['note']}" for entry in self.notes]
        if self.unknown:
            out += ["", "Unknown shortcodes and blocks (kept as plain text):"]
            for name, number in self.unknown.most_common():
                out.append(f"  {name}: {number}, e.g. {', '.join(self.unknown_where[name][:3])}")
        if self.missing_pictures:
            out += ["", f"Missing pictures ({len(self.missing_pictures)}):"]
            out += [f"  {entry['item']}: {entry['picture']} ({entry['why']})" for entry in self.missing_pictures]
        out += ["", f"Redirects made ({len(self.redirects)}):"]
        out += [f"  {entry['from']} -> {entry['to']}" for entry in self.redirects]
        for name, number in self.truncated.items():
            out.append(f"({number} more {name.replace('_', ' ')} not listed)")
        return out
