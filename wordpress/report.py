"""What an import did, item by item counted, for the editor who runs it."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

# Outcomes in the order the report prints them.
OUTCOMES = ("imported", "updated", "unchanged", "skipped", "failed")


@dataclass
class Report:
    source: str = ""
    dry_run: bool = False
    # kind -> outcome -> count; "skipped" and "failed" also by reason.
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    reasons: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    notes: list[str] = field(default_factory=list)
    missing_media: list[str] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)
    shortcode_posts: dict[str, list[str]] = field(
        default_factory=lambda: defaultdict(list)
    )
    redirects: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    # Set when the file itself was refused: nothing was imported.
    fatal: str = ""
    seconds: float = 0.0
    items: int = 0

    def count(self, kind: str, outcome: str, reason: str = "") -> None:
        self.counts[kind][outcome] += 1
        if reason:
            self.reasons[kind][f"{outcome}: {reason}"] += 1

    def fail(self, kind: str, wp_id: str, error: Exception | str) -> None:
        self.count(kind, "failed")
        self.errors.append(f"{kind} {wp_id}: {error}")

    def note(self, text: str) -> None:
        self.notes.append(text)

    def saw_shortcodes(self, post: str, names: Counter) -> None:
        for name, n in names.items():
            self.shortcodes[name] += n
            if len(self.shortcode_posts[name]) < 10:
                self.shortcode_posts[name].append(post)

    def render(self) -> str:
        lines = [f"WordPress import of {self.source}"]
        if self.dry_run:
            lines.append("DRY RUN: nothing was written.")
        if self.fatal:
            lines += [f"REFUSED: {self.fatal}", "Nothing was imported."]
            return "\n".join(lines) + "\n"
        if self.seconds:
            rate = self.items / self.seconds if self.seconds else 0
            lines.append(
                f"{self.items} records in {self.seconds:.1f} s ({rate:.0f} records/s)"
            )
        lines += ["", "Counts:"]
        for kind, counts in sorted(self.counts.items()):
            shown = ", ".join(f"{o} {counts[o]}" for o in OUTCOMES if counts[o])
            lines.append(f"  {kind}: {shown}")
            for reason, n in sorted(self.reasons[kind].items()):
                lines.append(f"      {reason}: {n}")
        created, updated = self.redirects["created"], self.redirects["updated"]
        lines.append(f"  redirects: created {created}, updated {updated}")
        sections = [
            ("Notes", self.notes),
            ("Missing media", self.missing_media),
            (
                "Unknown shortcodes (kept as text)",
                [
                    f"[{name}] x{n}, in {', '.join(self.shortcode_posts[name])}"
                    for name, n in self.shortcodes.most_common()
                ],
            ),
            ("Errors (these items were not imported)", self.errors),
        ]
        for title, entries in sections:
            if entries:
                lines += ["", f"{title} ({len(entries)}):"]
                lines += [f"  {entry}" for entry in entries]
        return "\n".join(lines) + "\n"
