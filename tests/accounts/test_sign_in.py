"""The admin's door: guessing is locked out, a code is asked of whoever set
one up, and those who can publish must set one up."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.base import NewsroomTestCase
from tests.factories import UserFactory

PASSWORD = "mat-khau-an-toan-2026"  # UserFactory's
LOGIN = "/quan-tri/login/"
SECOND_FACTOR = "/quan-tri/xac-thuc-hai-buoc/"
SAME_ANSWER = "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng."


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def seconds_later(seconds: int):
    """After a wrong code, django-otp refuses every code for a second, then
    two, four...: the next try comes that much later."""
    later = timezone.now() + timedelta(seconds=seconds)
    return mock.patch("django.utils.timezone.now", return_value=later)


class _SignIn(NewsroomTestCase):
    def assertSignedIn(self, response):
        self.assertRedirects(response, "/quan-tri/", fetch_redirect_response=False)


class SignInTests(_SignIn):
    def _sign_in(self, username, password=PASSWORD, *, code="", address="127.0.0.1"):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password, "otp_token": code},
            REMOTE_ADDR=address,
        )

    def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(self):
        unknown = self._sign_in("khong-co-ai", "sai")
        wrong = self._sign_in(self.reporter.username, "sai")

        self.assertContains(unknown, SAME_ANSWER)
        self.assertContains(wrong, SAME_ANSWER)
        self.assertNotIn("sessionid", wrong.cookies)

    def test_guessing_one_account_locks_it_within_ten_tries(self):
        answers = [
            self._sign_in(self.editor.username, f"doan-{i}").status_code
            for i in range(60)
        ]

        self.assertNotIn(500, answers)
        self.assertEqual(answers[:9], [200] * 9)  # the form again
        self.assertTrue(all(status == 429 for status in answers[10:]))
        # Locked: even the right password is refused, with the reason.
        right = self._sign_in(self.editor.username, address="10.0.0.2")
        self.assertContains(right, "Tạm khóa đăng nhập", status_code=429)
        self.assertNotIn("sessionid", right.cookies)

    def test_guessing_spread_over_names_locks_the_address(self):
        for i in range(settings.AXES_FAILURE_LIMIT):
            self._sign_in(f"ten-{i}", "doan", address="203.0.113.5")

        from_there = self._sign_in(self.reporter.username, address="203.0.113.5")
        from_elsewhere = self._sign_in(self.reporter.username, address="10.0.0.3")

        self.assertEqual(from_there.status_code, 429)
        self.assertSignedIn(from_elsewhere)

    def _tally(self, guesses) -> tuple[int, int, int | None]:
        """(successes, server errors, the try answered 429 first) of
        ``guesses``, (name, password, address) triples sent in turn."""
        successes = errors = 0
        locked_at = None
        for number, (name, password, address) in enumerate(guesses, start=1):
            answer = self._sign_in(name, password, address=address)
            successes += "sessionid" in answer.cookies
            errors += answer.status_code >= 500
            if answer.status_code == 429 and locked_at is None:
                locked_at = number
        return successes, errors, locked_at

    def test_five_hundred_guesses_at_one_account_from_many_addresses(self):
        # A botnet: every guess from another address, so only the lock on
        # the name can stop it; the right password comes at guess 100.
        guesses = [
            (
                self.reporter.username,
                PASSWORD if number == 100 else f"doan-{number}",
                f"198.51.{number // 250}.{number % 250 + 1}",
            )
            for number in range(1, 501)
        ]

        self.assertEqual(self._tally(guesses), (0, 0, 10))

    def test_five_hundred_guesses_spread_over_fifty_names_from_one_address(self):
        # Fifty staff names tried in turn from one address; from guess 20 on,
        # every seventh is a name's right password: the address is locked by
        # then. (A non-staff account's password is refused by the form, and
        # not counted as a failure: staff accounts make the guesses real.)
        staff = get_user_model().objects.bulk_create(
            get_user_model()(
                username=f"nhanvien{i}",
                is_staff=True,
                password=self.reporter.password,  # hashed once: PBKDF2 is slow
            )
            for i in range(50)
        )
        names = [user.username for user in staff]
        guesses = [
            (
                names[number % 50],
                PASSWORD if number >= 20 and number % 7 == 0 else f"doan-{number}",
                "203.0.113.77",
            )
            for number in range(1, 501)
        ]

        successes, errors, locked_at = self._tally(guesses)

        self.assertEqual((successes, errors), (0, 0))
        self.assertLessEqual(locked_at, 10)

    def test_a_staff_session_ends_after_a_working_day_without_a_request(self):
        response = self._sign_in(self.reporter.username)

        self.assertEqual(response.cookies["sessionid"]["max-age"], 10 * 3600)
        # Each request starts the day again.
        again = self.client.get("/quan-tri/")
        self.assertEqual(again.cookies["sessionid"]["max-age"], 10 * 3600)


class SecondFactorTests(_SignIn):
    def test_the_chief_editor_sets_up_a_code_before_anything_else(self):
        signed_in = self.client.post(
            LOGIN, {"username": self.chief.username, "password": PASSWORD}
        )
        self.assertSignedIn(signed_in)
        self.assertRedirects(self.client.get("/quan-tri/"), SECOND_FACTOR)
        article_list = reverse("admin:articles_article_changelist")
        self.assertRedirects(self.client.get(article_list), SECOND_FACTOR)

        page = self.client.get(SECOND_FACTOR)
        self.assertContains(page, "<svg")  # the QR code, drawn inline
        self.assertContains(page, "phải bật xác thực hai bước")
        device = TOTPDevice.objects.get(user=self.chief, confirmed=False)

        wrong = self.client.post(SECOND_FACTOR, {"otp_token": "000000"})
        self.assertContains(wrong, "Mã không đúng")
        with seconds_later(5):
            done = self.client.post(SECOND_FACTOR, {"otp_token": code(device)})

        self.assertSignedIn(done)
        self.assertEqual(self.client.get(article_list).status_code, 200)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)

    def test_a_code_is_asked_at_every_sign_in_once_set_up(self):
        device = TOTPDevice.objects.create(user=self.chief, confirmed=True)
        data = {"username": self.chief.username, "password": PASSWORD}

        without = self.client.post(LOGIN, data)
        wrong = self.client.post(LOGIN, {**data, "otp_token": "123456"})
        with seconds_later(5):
            right = self.client.post(LOGIN, {**data, "otp_token": code(device)})

        self.assertContains(without, SAME_ANSWER)
        self.assertContains(wrong, SAME_ANSWER)
        self.assertSignedIn(right)
        self.assertEqual(self.client.get("/quan-tri/").status_code, 200)

    def test_wrong_codes_count_towards_the_lockout(self):
        TOTPDevice.objects.create(user=self.chief, confirmed=True)
        data = {"username": self.chief.username, "password": PASSWORD}

        answers = [
            self.client.post(LOGIN, {**data, "otp_token": f"{i:06d}"}).status_code
            for i in range(settings.AXES_FAILURE_LIMIT + 1)
        ]

        self.assertEqual(answers[-1], 429)

    def test_a_reporter_signs_in_without_a_code_and_is_offered_one(self):
        reporter = UserFactory(username="pv-moi", is_staff=True)
        reporter.groups.set(self.reporter.groups.all())

        signed_in = self.client.post(
            LOGIN, {"username": "pv-moi", "password": PASSWORD}
        )
        desk = self.client.get("/quan-tri/")

        self.assertSignedIn(signed_in)
        self.assertContains(desk, f'href="{SECOND_FACTOR}"')
        self.assertEqual(self.client.get(SECOND_FACTOR).status_code, 200)
