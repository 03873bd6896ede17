"""YouTube and Facebook links: which video a pasted address names, and which
body paragraphs become a video."""

from django.test import SimpleTestCase

from articles.video_links import NotAVideoLink, paragraph_video, parse_video_url

ID = "M7lc1UVf-VE"


class VideoLinkTests(SimpleTestCase):
    def test_every_youtube_spelling_names_the_same_video(self):
        for url in (
            f"https://www.youtube.com/watch?v={ID}",
            f"https://youtube.com/watch?v={ID}&t=42s&feature=share",
            f"http://www.youtube.com/watch?app=desktop&v={ID}",
            f"https://m.youtube.com/watch?v={ID}",
            f"https://youtu.be/{ID}",
            f"https://youtu.be/{ID}?si=AbCdEf",
            f"https://www.youtube.com/embed/{ID}",
            f"https://www.youtube-nocookie.com/embed/{ID}",
            f"https://www.youtube.com/live/{ID}",
            f"  https://WWW.YOUTUBE.COM/watch?v={ID}  ",
        ):
            with self.subTest(url):
                link = parse_video_url(url)
                self.assertEqual((link.provider, link.id), ("youtube", ID))
                self.assertFalse(link.is_portrait)

    def test_shorts_are_upright_and_keep_their_own_page(self):
        link = parse_video_url(f"https://www.youtube.com/shorts/{ID}")
        self.assertTrue(link.is_portrait)
        self.assertEqual(link.watch_url, f"https://www.youtube.com/shorts/{ID}")

    def test_the_player_is_youtubes_cookieless_one(self):
        link = parse_video_url(f"https://youtu.be/{ID}")
        self.assertEqual(link.watch_url, f"https://www.youtube.com/watch?v={ID}")
        self.assertEqual(
            link.autoplay_url,
            f"https://www.youtube-nocookie.com/embed/{ID}?autoplay=1&rel=0",
        )
        self.assertEqual(link.frame_origin, "https://www.youtube-nocookie.com")

    def test_facebook_video_addresses_name_the_video_by_its_number(self):
        for url in (
            "https://www.facebook.com/baodongkhoi/videos/1234567890123456/",
            "https://www.facebook.com/baodongkhoi/videos/mua-dua/1234567890123456/",
            "https://m.facebook.com/watch/?v=1234567890123456",
            "https://www.facebook.com/watch?v=1234567890123456",
            "https://web.facebook.com/video.php?v=1234567890123456",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2F"
            "www.facebook.com%2Fbaodongkhoi%2Fvideos%2F1234567890123456%2F",
        ):
            with self.subTest(url):
                link = parse_video_url(url)
                self.assertEqual(
                    (link.provider, link.id), ("facebook", "1234567890123456")
                )
        reel = parse_video_url("https://www.facebook.com/reel/1234567890123456")
        self.assertTrue(reel.is_portrait)
        self.assertEqual(reel.frame_origin, "https://www.facebook.com")
        self.assertIn(
            "href=https%3A%2F%2Fwww.facebook.com%2Fwatch%2F%3Fv%3D1234567890123456",
            reel.player_url,
        )

    def test_look_alikes_and_other_hosts_are_refused(self):
        for url in (
            f"https://youtube.com.evil.tld/watch?v={ID}",
            f"https://www.youtube.com.evil.tld/watch?v={ID}",
            f"https://evil.tld/www.youtube.com/watch?v={ID}",
            f"https://evil.tld/?u=https://youtu.be/{ID}",
            f"https://notyoutube.com/watch?v={ID}",
            f"https://youtube.com@evil.tld/watch?v={ID}",
            f"https://evil.tld\\@www.youtube.com/watch?v={ID}",
            f"https://www.yоutube.com/watch?v={ID}",  # a Cyrillic о
            f"https://youtu.be.evil.tld/{ID}",
            f"https://www.youtube.com:8443/watch?v={ID}",
            f"javascript:alert(1)//youtu.be/{ID}",
            f"ftp://youtu.be/{ID}",
            f"//youtu.be/{ID}",
            "https://facebook.com.evil.tld/x/videos/1234567890123456/",
            "https://www.facebook.com/plugins/video.php?href=https://youtu.be/" + ID,
            "https://vimeo.com/76979871",
            "",
        ):
            with self.subTest(url), self.assertRaises(NotAVideoLink):
                parse_video_url(url)

    def test_addresses_without_a_well_formed_id_are_refused(self):
        for url in (
            "https://www.youtube.com/watch?v=short",
            f"https://www.youtube.com/watch?v={ID}%3Cscript%3E",
            'https://www.youtube.com/watch?v=M7lc1UVf-V"',
            "https://www.youtube.com/channel/UC123",
            "https://www.youtube.com/redirect?q=https://evil.tld",
            "https://youtu.be/",
            "https://www.facebook.com/baodongkhoi/",
            "https://www.facebook.com/watch/?v=12ab",
        ):
            with self.subTest(url), self.assertRaises(NotAVideoLink):
                parse_video_url(url)

    def test_facebook_short_links_are_refused_with_a_hint(self):
        for url in (
            "https://fb.watch/aBcD12/",
            "https://www.facebook.com/share/v/1AbC/",
        ):
            with self.subTest(url), self.assertRaises(NotAVideoLink) as refused:
                parse_video_url(url)
            self.assertIn("liên kết đầy đủ", str(refused.exception.message))


class VideoParagraphTests(SimpleTestCase):
    def test_a_pasted_link_alone_in_its_paragraph_is_a_video(self):
        block = (
            '<p><a rel="noopener noreferrer nofollow" '
            f'href="https://youtu.be/{ID}">https://youtu.be/{ID}</a></p>'
        )
        link, words = paragraph_video(block)
        self.assertEqual((link.provider, link.id, words), ("youtube", ID, ""))

    def test_a_bare_address_and_a_link_with_words_are_videos_too(self):
        link, words = paragraph_video(
            f"<p>https://www.youtube.com/watch?v={ID}&amp;t=3</p>"
        )
        self.assertEqual(link.id, ID)
        link, words = paragraph_video(
            f'<p><a href="https://youtu.be/{ID}"><strong>Lễ hội dừa</strong></a>'
            "<br></p>"
        )
        self.assertEqual(words, "Lễ hội dừa")

    def test_a_link_inside_a_sentence_stays_a_link(self):
        for block in (
            f'<p>Xem <a href="https://youtu.be/{ID}">video</a> của đài.</p>',
            f'<p><a href="https://youtu.be/{ID}">a</a> <a href="https://youtu.be/{ID}">b</a></p>',
            f'<blockquote><p><a href="https://youtu.be/{ID}">x</a></p></blockquote>',
            f'<h2><a href="https://youtu.be/{ID}">x</a></h2>',
            '<p><a href="https://youtube.com.evil.tld/watch?v=M7lc1UVf-VE">x</a></p>',
            "<p>Một đoạn văn bình thường.</p>",
        ):
            with self.subTest(block):
                self.assertIsNone(paragraph_video(block))
