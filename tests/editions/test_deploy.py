import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

NGINX = Path(settings.BASE_DIR) / "deploy" / "nginx" / "toasoan.conf"


class UploadCapTests(SimpleTestCase):
    def test_nginx_lets_the_issue_form_through_just_above_the_pdf_limit(self):
        conf = NGINX.read_text()
        block = re.search(
            r"location ~ \^/quan-tri/editions/issue/\(add\|\[0-9\]\+/change\)/\$ "
            r"\{(.*?)\}",
            conf,
            re.S,
        )
        self.assertIsNotNone(block, "the issue form's location")
        cap = int(re.search(r"client_max_body_size (\d+)m;", block[1])[1]) * 2**20
        self.assertGreater(cap, settings.PRINT_PDF_MAX_BYTES)
        self.assertLessEqual(cap, settings.PRINT_PDF_MAX_BYTES + 2 * 2**20)
        self.assertEqual(settings.ADMIN_URL_PREFIX, "/quan-tri/")
