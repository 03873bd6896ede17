"""The content API on an archive: queries, their SQL time (EXPLAIN ANALYZE)
and the CPU time of each answer, beside the pages that print the same.

    DEBUG=1 DATABASE_URL=postgres://.../<an archive> SECRET_KEY=x \\
        ALLOWED_HOSTS=localhost .venv/bin/python bench/api_archive.py

Build the archive first (``manage.py generate_archive --articles 20000``) in a
database of your own. DEBUG=1 serves the pages' static files unfingerprinted
(no collectstatic); answers are built per request (the page cache is off).
"""

import statistics
import time

from pages import _busiest_section, _newest_article, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = 40


def _deep(client: Client, url: str, pages: int) -> str:
    """The address ``pages`` pages of 100 down ``url``, as a page of 20."""
    url = f"{url}{'&' if '?' in url else '?'}page_size=100"
    for _ in range(pages):
        url = client.get(url).json()["next"]
    return url.replace("page_size=100", "page_size=20")


def main() -> None:
    settings.PAGE_CACHE = False
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    section = _busiest_section()
    article = _newest_article()
    pk = article.rsplit("-", 1)[1].removesuffix(".html")
    answers = {
        "home page": "/",
        "section page": section,
        "search page": "/tim-kiem?q=dan+van",
        "article page": article,
        "api list": "/api/v1/articles/",
        "api list, 3,000 deep": _deep(client, "/api/v1/articles/", 30),
        "api list, section": f"/api/v1/articles/?section={section.split('/')[-2]}",
        "api list, q": "/api/v1/articles/?q=dan+van",
        "api list, q, deep": _deep(client, "/api/v1/articles/?q=dan+van", 1),
        "api article": f"/api/v1/articles/{pk}/",
        "api tags": "/api/v1/tags/",
        "api contributors": "/api/v1/contributors/",
    }
    for name, url in answers.items():
        client.get(url)  # warm the buffer cache and the process
        ran = []

        def record(execute, sql, params, many, context, ran=ran):
            ran.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = client.get(url)
        sql_ms = []
        for sql, params in ran:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE) {sql}", params)
                plan = [line for (line,) in cursor.fetchall()]
            sql_ms.append(float(plan[-1].split()[2]))  # "Execution Time: x ms"
        cpu = []
        for _ in range(ROUNDS):
            start = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - start) * 1000)
        print(
            f"{name:22} HTTP {response.status_code}, {len(ran)} queries, "
            f"SQL {sum(sql_ms):5.1f} ms, CPU {statistics.median(cpu):5.1f} ms, "
            f"{len(response.content) // 1024} KiB"
        )


if __name__ == "__main__":
    main()
