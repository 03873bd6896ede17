import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article
from demo.paper import ensure_demo_accounts, load_demo_paper
from demo.print_edition import load_print_issues
from editions.models import Issue


class Command(BaseCommand):
    help = (
        "Prepare and serve the demo paper: migrate, load sample content (and "
        "two print issues) into an empty database, (re)set the demo accounts, "
        "then serve on http://127.0.0.1:8000 with a background worker beside "
        "it (mail, print pages). Safe to run again: existing content is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Stop after preparing the database."
        )
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="Where to serve."
        )

    def handle(self, *args, no_serve: bool, addrport: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if Article.objects.exists():
            self.stdout.write(
                "Database already has articles; sample content not loaded."
            )
        else:
            count = load_demo_paper()
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the demo paper: {count} articles.")
            )
        if not Issue.objects.exists():
            # Drawn here rather than by the worker: the demo opens with them.
            issues = load_print_issues(timezone.localdate(), log=self.stdout.write)
            self.stdout.write(f"Print edition: {issues} issues.")

        passwords = ensure_demo_accounts()
        self.stdout.write("Demo accounts for the admin (/quan-tri/):")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<10} password: {password}")

        if not no_serve:
            self.stdout.write(f"Serving the paper on http://{addrport}/")
            # The moderators' digest and error mail are sent by the worker.
            worker = subprocess.Popen(  # noqa: S603 - our own manage.py
                [sys.executable, settings.BASE_DIR / "manage.py", "run_worker"]
            )
            # A SIGTERM for this process alone ends the worker too (Ctrl-C
            # reaches both).
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
