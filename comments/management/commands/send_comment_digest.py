from django.core.management.base import BaseCommand, CommandError

from comments.services import comment_digest_send_if_due


class Command(BaseCommand):
    help = (
        "Email moderators about comments waiting for approval, unless a digest "
        "went out within the interval set in the comment settings. Run every 15 "
        "minutes (paper/jobs.py), so comments that arrive just after a digest are "
        "not forgotten; it sends from this process, worker or no worker."
    )

    def handle(self, *args, **options):
        try:
            sent = comment_digest_send_if_due()
        except Exception as error:
            # Nothing was claimed: the next run (or the worker) sends it.
            raise CommandError(
                f"The mail server refused the digest: {error}"
            ) from error
        if sent:
            self.stdout.write(self.style.SUCCESS("Digest sent."))
        else:
            self.stdout.write("No digest due (nothing waiting, or sent recently).")
