from django.core.management.base import BaseCommand

from comments.services import comment_digest_send_if_due


class Command(BaseCommand):
    help = (
        "Email moderators about comments waiting for approval, unless a digest "
        "went out within the interval set in the comment settings. Meant for cron, "
        "so comments that arrive just after a digest are not forgotten."
    )

    def handle(self, *args, **options):
        if comment_digest_send_if_due():
            self.stdout.write(self.style.SUCCESS("Digest sent."))
        else:
            self.stdout.write("No digest due (nothing waiting, or sent recently).")
