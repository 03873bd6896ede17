from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.services import photo_make_renditions


class Command(BaseCommand):
    help = (
        "Make the WebP and JPEG renditions of every photo that lacks current ones, "
        "and replace any stored original that still carries EXIF/XMP/IPTC (GPS) "
        "with a cleaned copy. Idempotent: photos already done are skipped unless "
        "--force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Rebuild even current renditions."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count the photos that would be processed.",
        )

    def handle(self, *args, force: bool, dry_run: bool, **options):
        made = skipped = failed = 0
        # Only ids in memory: each photo is read and written on its own.
        for pk in Photo.objects.order_by("pk").values_list("pk", flat=True).iterator():
            photo = Photo.objects.get(pk=pk)
            if dry_run:
                self.stdout.write(f"would process photo {pk}: {photo.image.name}")
                continue
            try:
                done = photo_make_renditions(photo=photo, force=force)
            except (ValidationError, OSError) as error:
                failed += 1
                reason = "; ".join(getattr(error, "messages", [str(error)]))
                self.stderr.write(f"photo {pk} ({photo.image.name}): {reason}")
                continue
            if done:
                made += 1
            else:
                skipped += 1
        self.stdout.write(
            f"Renditions made: {made}, already current: {skipped}, failed: {failed}."
        )
