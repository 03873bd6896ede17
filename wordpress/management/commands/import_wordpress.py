import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wordpress.services import Options, parse_roles, wordpress_import


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.1-1.2): authors, "
        "categories, tags, photos, posts, pages and comments, and redirects from "
        "the old addresses. Safe to run again: what was imported is updated, "
        "nothing is made twice. --dry-run reports and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="the WXR file")
        parser.add_argument(
            "--media",
            type=Path,
            required=True,
            help="a copy of wp-content/uploads (the originals are read from it)",
        )
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--permalinks",
            default="/%postname%/",
            help="the old site's permalink structure (Settings → Permalinks)",
        )
        parser.add_argument(
            "--roles",
            default="",
            help="login=role,...; roles: reporter (default), editor, chief, moderator",
        )
        parser.add_argument(
            "--report",
            type=Path,
            default=None,
            help="where to write the report (default var/wordpress-import-report.txt)",
        )

    def handle(self, *args, **options):
        if not options["export"].is_file():
            raise CommandError(f"No such file: {options['export']}")
        if not options["media"].is_dir():
            raise CommandError(f"No such directory: {options['media']}")
        try:
            roles = parse_roles(options["roles"])
        except ValueError as error:
            raise CommandError(f"--roles: {error}") from None
        on_terminal = sys.stdout.isatty() and self.stdout._out is sys.stdout

        def progress(done: int, total: int) -> None:
            line = f"{done}/{total} records read (two passes)"
            if on_terminal:
                self.stdout.write(f"\r{line}", ending="")
            else:
                self.stdout.write(line)

        report = wordpress_import(
            path=options["export"],
            options=Options(
                media=options["media"],
                permalinks=options["permalinks"],
                roles=roles,
                dry_run=options["dry_run"],
            ),
            progress=progress,
        )
        text = report.render()
        target = options["report"] or settings.VAR_DIR / "wordpress-import-report.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        if on_terminal:
            self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write(f"Report written to {target}")
        if report.fatal:
            raise CommandError(f"The export was refused: {report.fatal}")
