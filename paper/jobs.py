"""The paper's periodic jobs: one table, from which the systemd timers in
deploy/systemd/ are written and ``manage.py print_crontab`` prints cron lines.

Work that requests hand over (mail) is not here: the worker does it
(paper/tasks.py, toasoan-worker.service).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str  # the unit's name: toasoan-<name>.service / .timer
    command: str  # manage.py's arguments
    on_calendar: str  # systemd's OnCalendar=
    cron: str  # the same moments for cron
    why: str


JOBS = (
    Job(
        "publish-scheduled",
        "publish_scheduled",
        "*-*-* *:*:00",
        "* * * * *",
        "records scheduled stories that came due (they show by themselves)",
    ),
    Job(
        "flush-read-counts",
        "flush_read_counts",
        "*-*-* *:00/5:00",
        "*/5 * * * *",
        'moves "Đọc nhiều" view counts from the cache to the database',
    ),
    Job(
        "comment-digest",
        "send_comment_digest",
        "*-*-* *:00/15:00",
        "*/15 * * * *",
        "mails moderators how many comments wait",
    ),
    Job(
        "purge-personal-data",
        "purge_comment_personal_data",
        "*-*-* 03:10:00",
        "10 3 * * *",
        "erases readers' IP addresses and user agents after 90 days",
    ),
    Job(
        "sign-in-records",
        "axes_reset_logs --age 90",
        "*-*-* 03:20:00",
        "20 3 * * *",
        "drops sign-in attempt records older than 90 days",
    ),
    Job(
        "prune-task-results",
        "prune_db_task_results --min-age-days 30",
        "*-*-* 03:30:00",
        "30 3 * * *",
        "drops finished background tasks (their mail, error reports) after 30 days",
    ),
)
