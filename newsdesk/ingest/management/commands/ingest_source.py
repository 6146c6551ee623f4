from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from newsdesk.articles.models import SectionPage
from newsdesk.ingest.models import Source


class Command(BaseCommand):
    help = "Add, list or disable ingest sources (wires and partner feeds)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add a source.")
        add.add_argument("name")
        add.add_argument("--kind", required=True, choices=[kind.value for kind in Source.Kind])
        add.add_argument("--location", required=True, help="The feed's URL, or the drop folder's absolute path.")
        add.add_argument("--mode", required=True, choices=[mode.value for mode in Source.Mode])
        add.add_argument("--section", help="The default section's slug.")
        add.add_argument("--source-name", default="", help="Shown as “Originally published by …”.")
        add.add_argument("--source-url", default="")
        add.add_argument("--interval", type=int, default=5, help="Minutes between polls (at least 1).")
        actions.add_parser("list", help="List the sources and how they fare.")
        disable = actions.add_parser("disable", help="Stop polling a source.")
        disable.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(options)

    def handle_add(self, options: dict[str, Any]) -> None:
        section = None
        if options["section"]:
            section = SectionPage.objects.filter(slug=options["section"]).first()
            if section is None:
                known = ", ".join(SectionPage.objects.order_by("path").values_list("slug", flat=True))
                raise CommandError(f"--section: no section {options['section']!r}; known: {known or 'none'}")
        source = Source(
            name=options["name"],
            kind=options["kind"],
            location=options["location"],
            mode=options["mode"],
            default_section=section,
            source_name=options["source_name"],
            source_url=options["source_url"],
            interval_minutes=options["interval"],
        )
        try:
            source.full_clean()
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(problems) from error
        source.save()
        self.stdout.write(f"added {source.name} ({source.get_kind_display()}, {source.get_mode_display().lower()})")

    def handle_list(self, options: dict[str, Any]) -> None:
        for source in Source.objects.select_related("default_section"):
            state = "on" if source.enabled else "off"
            last = source.last_success_at.isoformat(timespec="minutes") if source.last_success_at else "never"
            error = f"; last error: {source.last_error}" if source.failures else ""
            self.stdout.write(
                f"{source.name}\t{source.kind}\t{source.mode}\t{state}\tevery {source.interval_minutes} min\t"
                f"{source.location}\tlast success: {last}\tcreated {source.items_created}, "
                f"updated {source.items_updated}, skipped {source.items_skipped}{error}"
            )

    def handle_disable(self, options: dict[str, Any]) -> None:
        if not Source.objects.filter(name=options["name"]).update(enabled=False):
            raise CommandError(f"no source named {options['name']!r}")
        self.stdout.write(f"disabled {options['name']}")
