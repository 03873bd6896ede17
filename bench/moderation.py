"""How well the comment filter keeps spam off the page with approval off.

The corpus (comments/corpus/comments.jsonl) is split into training and
held-out halves by a stable hash of each body. A fresh test database learns
the training half through the same counting moderators' decisions use; then
every held-out comment is posted through ``comment_submit``, the path a
reader's post takes, with "every comment must be approved" switched off.

    .venv/bin/python bench/moderation.py            # SQLite in memory
    DATABASE_URL=postgres://... .venv/bin/python bench/moderation.py

Targets (issue 16): >= 95 % of held-out spam kept off the page, <= 2 % of
reader comments held or marked spam, 0 marked spam by rules alone, scoring
< 5 ms a comment.
"""

import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def held_out(example: dict) -> bool:
    return hashlib.sha256(example["body"].encode()).digest()[0] % 2 == 1


def main() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(
            connection.settings_dict["NAME"], verbosity=0
        )


def run() -> None:
    from django.core.cache import cache

    from comments import spam
    from comments.models import Comment, CommentSettings, SpamFeature
    from comments.normalise import read
    from comments.services import comment_submit
    from tests.factories import ArticleFactory

    examples = spam.corpus()
    training = [e for e in examples if not held_out(e)]
    testing = [e for e in examples if held_out(e)]
    config = CommentSettings.load()
    config.require_approval = False
    # Every post comes from its own reader; rate limits are not measured here.
    config.ip_per_minute = config.email_per_minute = 30000
    config.ip_per_day = config.email_per_day = 30000
    config.save()
    article = ArticleFactory()

    def post_all(label: str) -> dict:
        Comment.objects.all().delete()
        cache.clear()
        outcome = {"spam": [], "ham": []}
        for number, example in enumerate(testing):
            comment = comment_submit(
                article=article,
                name=example.get("name") or "Bạn đọc",
                email=f"ban-doc-{number}@example.com",
                body=example["body"],
                ip_address=f"10.{number // 250}.{number % 250}.1",
            )
            outcome[example["label"]].append((example, comment))
        return outcome

    def report(title: str, outcome: dict) -> None:
        spam_rows, ham_rows = outcome["spam"], outcome["ham"]
        kept_off = [c for _e, c in spam_rows if c.status != Comment.Status.APPROVED]
        ham_held = [(e, c) for e, c in ham_rows if c.status != Comment.Status.APPROVED]
        ham_spam = [c for _e, c in ham_rows if c.status == Comment.Status.SPAM]
        by_rules = [
            c
            for c in ham_spam
            if c.spam_score is None or c.spam_score < config.spam_score_threshold
        ]
        print(f"\n## {title}")
        print(
            f"held-out spam kept off the page: {len(kept_off)}/{len(spam_rows)}"
            f" = {100 * len(kept_off) / len(spam_rows):.1f} %"
        )
        print(
            f"  of which straight to spam: "
            f"{sum(c.status == Comment.Status.SPAM for c in kept_off)}"
        )
        print(
            f"reader comments held or marked spam: {len(ham_held)}/{len(ham_rows)}"
            f" = {100 * len(ham_held) / len(ham_rows):.1f} %"
        )
        print(
            f"reader comments marked spam: {len(ham_spam)}; by rules alone: "
            f"{len(by_rules)}"
        )
        for example, comment in ham_held:
            print(
                f"  held reader comment ({comment.spam_score}): "
                f"{example['body'][:70]!r} -- {comment.held_reason[:90]}"
            )
        missed = [e for e, c in spam_rows if c.status == Comment.Status.APPROVED]
        for example in missed:
            print(f"  missed spam ({example.get('kind')}): {example['body'][:80]!r}")

    print(
        f"corpus: {len(examples)} comments; training {len(training)}, "
        f"held out {len(testing)} ({sum(e['label'] == 'spam' for e in testing)} "
        f"spam, {sum(e['label'] == 'ham' for e in testing)} reader comments)"
    )

    SpamFeature.objects.all().delete()
    report("rules only (nothing learned)", post_all("rules"))

    spam.teach(training)
    report("rules and the learned score", post_all("learned"))

    timings = []
    for example in testing:
        found = spam.example_features(example)
        start = time.perf_counter()
        spam.score(found)
        timings.append((time.perf_counter() - start) * 1000)
    reading_times = []
    for example in testing:
        start = time.perf_counter()
        spam.example_features(example)
        reading_times.append((time.perf_counter() - start) * 1000)
    print("\n## time per comment")
    print(
        f"reading and features: median {statistics.median(reading_times):.2f} ms, "
        f"max {max(reading_times):.2f} ms"
    )
    print(
        f"score (one query): median {statistics.median(timings):.2f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[18]:.2f} ms"
    )
    longest = max(testing, key=lambda e: len(e["body"]))
    print(
        f"longest held-out comment: {len(longest['body'])} chars, "
        f"{len(read(longest['body']).words)} words"
    )


if __name__ == "__main__":
    main()
