"""Disguised spam reads as plain words; readers' words stay theirs."""

from django.test import SimpleTestCase

from comments.defences import match_word_list
from comments.normalise import read, visible


class UndisguisingTests(SimpleTestCase):
    def assertReads(self, disguised: str, plain: str):
        self.assertEqual(read(disguised).text, plain, disguised)

    def test_styled_invisible_and_look_alike_letters_read_plain(self):
        self.assertReads("𝐧𝐡𝐚̀ 𝐜𝐚́𝐢 uy tín", "nhà cái uy tín")  # math bold
        self.assertReads("ｎｈà ｃáｉ", "nhà cái")  # full width
        self.assertReads("nh\u200bà c\u200dái", "nhà cái")  # zero width
        self.assertReads("nhа сái", "nha cái")  # Cyrillic а and с
        self.assertTrue(read("nhа сái").disguised)

    def test_a_zero_width_character_between_syllables_stands_for_a_space(self):
        self.assertReads("mua\u200bbán\u200bđồ điện", "mua bán đồ điện")
        self.assertReads(
            "bó\u200bng đá, ti\u200bền v\u200ba\u200by", "bóng đá tiền vay"
        )

    def test_leetspeak_dots_and_emoji_separators_read_plain(self):
        self.assertReads("v@y tiền nhanh", "vay tiền nhanh")
        self.assertReads("c4 d0 b0ng d4", "ca do bong da")
        self.assertReads("l.ô đ.ề", "lô đề")
        self.assertReads("vay🔥tiền🔥nhanh", "vay tiền nhanh")
        self.assertEqual(read("c á đ ộ b ó n g").spelled_out, ["cadobong"])

    def test_numbers_with_units_are_not_leetspeak(self):
        reading = read("Giá dừa 12.000đ/trái, đội U23 thắng 3-0")
        self.assertIn("000đ", reading.words)
        self.assertIn("u23", reading.words)
        self.assertFalse(reading.disguised)

    def test_phone_numbers_in_every_form(self):
        for text in (
            "LH 0912345678",
            "LH 09 12 345 678",
            "0912.345.678 nhé",
            "gọi O9I2 345 678 liên hệ",
            "+84 912 345 678",
            "(+84) 912-345-678",
        ):
            self.assertEqual(read(text).mobiles, ["912345678"], text)
        self.assertEqual(read("Đường dây nóng 0275 3822 123").landlines, ["2753822123"])
        self.assertEqual(read("Giá 12.000 đồng, năm 2026").mobiles, [])

    def test_zalo_and_defanged_domains(self):
        self.assertTrue(read("kb z@lo mình nhé").zalo)
        self.assertTrue(read("Zalo: 0912345678").zalo)
        for text, host in (
            ("vào k8vn[.]top ngay", "k8vn.top"),
            ("nhacai (.) com", "nhacai.com"),
            ("fb88 chấm com", "fb88.com"),
            ("https://www.abc.xyz/x?y=1", "abc.xyz"),
            ("ghé nhacai.com.vn ngay", "nhacai.com.vn"),
        ):
            self.assertEqual(read(text).links, [host], text)
        self.assertEqual(len(read("http://a.vn https://b.com/x www.c.net").links), 3)
        self.assertEqual(read("Giá 3.5 triệu, không có link").links, [])

    def test_visible(self):
        self.assertFalse(visible("\u200b\u3164 \u2800\ufeff\u0301"))
        self.assertTrue(visible(" a "))
        self.assertTrue(visible("👍"))


class WordListTests(SimpleTestCase):
    def test_a_word_without_marks_matches_only_itself(self):
        self.assertEqual(match_word_list(["vay"], "VAY tiền nhanh"), "vay")
        self.assertIsNone(match_word_list(["vay"], "Vậy thì tốt quá"))
        self.assertIsNone(match_word_list(["vay"], "cái váy đẹp"))

    def test_a_tilde_asks_for_any_marks(self):
        self.assertEqual(match_word_list(["~vay"], "Vậy thì tốt quá"), "~vay")

    def test_a_word_with_marks_matches_it_typed_without_them(self):
        self.assertEqual(match_word_list(["lừa đảo"], "Lua dao"), "lừa đảo")
        self.assertEqual(match_word_list(["hòa"], "HOÀ BÌNH"), "hòa")  # tone placement
        self.assertIsNone(match_word_list(["lừa đảo"], "lúa đào"))

    def test_disguised_words_match(self):
        for text in ("𝐧𝐡𝐚̀ 𝐜𝐚́𝐢", "nhà\u200bcái", "nhа cái", "n h à c á i", "nhà🎲cái"):
            self.assertEqual(match_word_list(["nhà cái"], text), "nhà cái", text)
        self.assertEqual(match_word_list(["lô đề"], "l.ô đ.ề"), "lô đề")
        self.assertEqual(match_word_list(["cá độ"], "c4 d0 bóng đá"), "cá độ")

    def test_whole_words_only(self):
        self.assertIsNone(match_word_list(["sex"], "Essex county"))
        self.assertIsNone(match_word_list(["cá"], "các bạn"))
        self.assertEqual(match_word_list(["113.160."], "113.160.2.1"), "113.160.")
        self.assertEqual(
            match_word_list(["@spam.example"], "ban@spam.example"), "@spam.example"
        )
