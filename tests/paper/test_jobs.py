"""The periodic jobs run themselves: a systemd timer for each, or cron lines."""

import configparser
import shutil
import subprocess
from io import StringIO
from pathlib import Path

from django.core.management import call_command, get_commands
from django.test import SimpleTestCase

from paper.jobs import JOBS

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str
    unit.read(UNITS / name, encoding="utf-8")
    return unit


class JobTests(SimpleTestCase):
    def test_every_job_is_a_command_of_the_project(self):
        commands = get_commands()
        for job in JOBS:
            with self.subTest(job.name):
                self.assertIn(job.command.split()[0], commands)

    def test_each_job_has_a_timer_and_a_service_that_runs_it(self):
        for job in JOBS:
            with self.subTest(job.name):
                timer = _unit(f"toasoan-{job.name}.timer")
                service = _unit(f"toasoan-{job.name}.service")
                self.assertEqual(timer["Timer"]["OnCalendar"], job.on_calendar)
                self.assertEqual(timer["Timer"]["Persistent"], "true")
                self.assertTrue(
                    service["Service"]["ExecStart"].endswith(f"manage.py {job.command}")
                )
                self.assertEqual(service["Service"]["Type"], "oneshot")

    def test_no_unit_is_left_for_a_job_that_is_gone(self):
        expected = {"toasoan-web.service", "toasoan-worker.service"} | {
            f"toasoan-{job.name}.{kind}"
            for job in JOBS
            for kind in ("service", "timer")
        }
        self.assertEqual({path.name for path in UNITS.glob("toasoan-*")}, expected)

    def test_systemd_reads_each_schedule(self):
        analyze = shutil.which("systemd-analyze")
        if analyze is None:
            self.skipTest("systemd-analyze is not installed")
        for job in JOBS:
            with self.subTest(job.name):
                subprocess.run(  # noqa: S603 - fixed arguments
                    [analyze, "calendar", job.on_calendar],
                    check=True,
                    capture_output=True,
                )

    def test_the_crontab_runs_the_same_commands(self):
        out = StringIO()
        call_command("print_crontab", env_file="/etc/toasoan/env", stdout=out)
        lines = out.getvalue().splitlines()

        for job in JOBS:
            with self.subTest(job.name):
                line = next(
                    line for line in lines if f"manage.py {job.command} " in line
                )
                self.assertTrue(line.startswith(f"{job.cron} "))
                self.assertIn(". /etc/toasoan/env;", line)

    def test_the_crontab_runs_the_worker_each_minute(self):
        out = StringIO()
        call_command("print_crontab", env_file="/etc/toasoan/env", stdout=out)

        line = next(
            line for line in out.getvalue().splitlines() if "run_worker" in line
        )
        self.assertTrue(line.startswith("* * * * * "))
        self.assertIn("run_worker --batch ", line)

    def test_the_worker_unit_runs_the_worker_and_restarts_it(self):
        service = _unit("toasoan-worker.service")["Service"]

        self.assertTrue(
            service["ExecStart"].endswith("manage.py run_worker --no-reload")
        )
        self.assertEqual(service["Restart"], "always")
        self.assertEqual(service["KillSignal"], "SIGTERM")
        self.assertIn("run_worker", get_commands())
