"""The photo check, fuzzed (hypothesis): whatever the bytes, an upload is
either a cleaned picture or a refusal with a reason, never a crash."""

import io

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from articles.images import prepare_upload


def _picture(fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), (200, 120, 40))
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


SEEDS = [
    _picture("JPEG", quality=80),
    _picture("PNG"),
    _picture("WEBP"),
    _picture("GIF"),
    _picture("JPEG", progressive=True),
]


@st.composite
def damaged(draw) -> bytes:
    """A real picture with bytes flipped, cut short, repeated or spliced."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 8))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data) - 1))
        data[start:start] = draw(st.binary(max_size=64))
    return bytes(data)


class PhotoFuzzTests(SimpleTestCase):
    def assertCleanOrRefused(self, data: bytes):
        try:
            photo = prepare_upload(data, name="anh.jpg")
        except ValidationError as refusal:
            self.assertTrue(refusal.messages[0])
        else:
            self.assertGreater(photo.width, 0)

    @settings(max_examples=300, deadline=None)
    @given(damaged())
    def test_damaged_pictures_are_cleaned_or_refused(self, data):
        self.assertCleanOrRefused(data)

    @settings(
        max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(
        st.one_of(
            st.binary(max_size=512),
            # A real header in front of anything.
            st.builds(
                lambda head, rest: head + rest,
                st.sampled_from([seed[:16] for seed in SEEDS]),
                st.binary(max_size=512),
            ),
        )
    )
    def test_any_bytes_are_cleaned_or_refused(self, data):
        self.assertCleanOrRefused(data)
