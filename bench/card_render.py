"""The cost of one article card: the included templates it replaced
(``_card.html`` and ``_picture.html`` as of commit 8ae05fb, read from git)
against the ``{% card %}`` tag, on the same articles in one process.

    DATABASE_URL=... .venv/bin/python bench/card_render.py

Run it on the benchmark archive (bench/run builds it); it needs git.
"""

import subprocess
import time

from pages import setup_django

BEFORE = "8ae05fb"
CARDS = 100
ROUNDS = 20


def _old_template():
    from django.template import engines
    from django.template.engine import Engine

    def show(name: str) -> str:
        return subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "show", f"{BEFORE}:templates/{name}"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    engine = engines["django"].engine
    files = {n: show(n) for n in ("articles/_card.html", "articles/_picture.html")}
    old = Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", files)],
            )
        ],
        builtins=engine.builtins,
    )
    # The {% load %} libraries of the project's engine (i18n, paper...).
    old.template_libraries.update(engine.template_libraries)
    return old.get_template("articles/_card.html")


def main() -> None:
    setup_django()
    from django.template import Context

    from articles.models import Article
    from articles.templatetags.articles import card

    cards = [
        article
        for article in Article.objects.published().for_listing()[: CARDS * 2]
        if article.lead_photo_id
    ][:CARDS]
    template = _old_template()

    def included():
        for article in cards:
            template.render(Context({"article": article, "show_section": True}))

    def tag():
        for article in cards:
            card(article, show_section=True)

    for name, run in (("included templates", included), ("{% card %} tag", tag)):
        run()  # warm: templates compiled, photo renditions decoded
        started = time.perf_counter()
        for _ in range(ROUNDS):
            run()
        each = (time.perf_counter() - started) / ROUNDS / len(cards) * 1e6
        print(f"{name:20} {each:6.0f} µs a card ({len(cards)} cards with a photo)")


if __name__ == "__main__":
    main()
