import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from paper.jobs import JOBS

WORKER_BATCH = "run_worker --batch --no-startup-delay --no-reload"


class Command(BaseCommand):
    help = (
        "Print the crontab lines of the paper's periodic jobs, for a host "
        "without systemd (with systemd, install deploy/systemd/ instead). "
        "Install with: manage.py print_crontab | crontab -"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--env-file",
            default=str(settings.BASE_DIR / ".env"),
            help="A file of VAR=value lines (DATABASE_URL, SECRET_KEY...) each "
            "job reads first; default: .env beside manage.py.",
        )

    def handle(self, *args, env_file: str, **options):
        manage = Path(settings.BASE_DIR) / "manage.py"
        python = Path(sys.executable)
        self.stdout.write("# Tòa soạn: the paper's periodic jobs (paper/jobs.py)")
        for job in JOBS:
            self.stdout.write(f"# {job.why}")
            self.stdout.write(
                f"{job.cron} set -a; . {env_file}; set +a; "
                f"{python} {manage} {job.command} >/dev/null"
            )
        # systemd keeps one worker running (toasoan-worker.service); cron
        # starts one each minute for what is ready (two at once share safely).
        self.stdout.write("# the worker: mail and other work that requests enqueued")
        self.stdout.write(
            f"* * * * * set -a; . {env_file}; set +a; "
            f"{python} {manage} {WORKER_BATCH} >/dev/null"
        )
