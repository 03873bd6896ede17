"""Share links for an article page.

Plain links to each network's own share page, opened only when a reader
clicks: the page loads no script, frame or image from Facebook or Zalo.
Their official buttons are scripts (``connect.facebook.net``'s SDK,
``sp.zalo.me/plugins/sdk.js``) that load, and track, on every page view.
"""

from urllib.parse import quote

# Facebook's share dialog takes the address in ``u``.
FACEBOOK_SHARER = "https://www.facebook.com/sharer/sharer.php?u="
# The page Zalo's own share button opens (its SDK puts the button in a frame
# from sp.zalo.me); reached directly it needs no SDK and no Official Account.
ZALO_SHARER = "https://sp.zalo.me/share_inline?url="


def share_links(url: str) -> dict[str, str]:
    """The Facebook and Zalo share links for ``url`` (the canonical address),
    with the address percent-encoded whole: its ``?`` and ``&`` cannot end
    up as parameters of the share page."""
    encoded = quote(url, safe="")
    return {"facebook": FACEBOOK_SHARER + encoded, "zalo": ZALO_SHARER + encoded}
