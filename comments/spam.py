"""The spam score: what moderators taught, applied to a new comment.

A naive Bayes classifier over a comment's normalised words, word pairs, the
hosts it links to, the sender's name, and the rule signals (a phone number,
Zalo, disguised letters, the same text from another reader...). Each
moderator's decision teaches it: approving or rejecting counts the comment's
features as a reader's, marking it as spam counts them as spam. Counts live in
the database (``SpamFeature``), one row per feature, so every app server
scores alike and nothing leaves the paper.

Why naive Bayes: it learns from a single decision, needs no training job, and
its counts can be read back as reasons ("lô đề", "k8vn.top").
"""

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db.models import F
from django.utils.translation import gettext as _

from articles.text import fold

from .models import Comment, SpamFeature
from .normalise import Reading, read

# What the filter knows before a moderator's first decision: Vietnamese spam
# and reader comments written for the project (see its README).
CORPUS = Path(__file__).parent / "corpus" / "comments.jsonl"
# The row that counts comments rather than features.
_DOCUMENTS = "#documents"
# Smoothing: a feature seen once is weak evidence.
_ALPHA = 0.5
# No single word decides alone.
_MAX_WEIGHT = 4.0
# Naive Bayes counts every word as independent evidence and so is sure of
# itself on long comments; dividing the evidence by this keeps a score of
# 60 meaning something. Chosen on the training half of the corpus.
_TEMPERATURE = 3.0


class Signal:
    """Rule signals: facts about a comment, each also a feature of the score."""

    MOBILE = "mobile"
    LANDLINE = "landline"
    ZALO = "zalo"
    LINK = "link"
    DISGUISED = "disguised"
    DUPLICATE = "duplicate"
    FAST = "fast"
    NEWSROOM_NAME = "newsroom-name"
    # Shown beside a high score: what in the text to look at.
    CLUES = (MOBILE, ZALO, LINK, DISGUISED)

    @staticmethod
    def describe(signal: str, reading: Reading | None = None) -> str:
        texts = {
            Signal.MOBILE: _("Có số điện thoại di động."),
            Signal.ZALO: _("Nhắc tới Zalo."),
            Signal.DISGUISED: _(
                "Chữ bị ngụy trang (ký tự ẩn, chữ nước ngoài giống chữ Việt, "
                "số thay chữ)."
            ),
            Signal.DUPLICATE: _("Trùng nội dung với bình luận khác."),
            Signal.NEWSROOM_NAME: _("Tên giống tên tòa soạn."),
        }
        if signal == Signal.LINK and reading is not None:
            return _("Có liên kết: %s.") % ", ".join(dict.fromkeys(reading.links))
        return texts.get(signal, "")


def reading_signals(reading: Reading) -> list[str]:
    """The signals the text alone shows."""
    found = []
    if reading.mobiles:
        found.append(Signal.MOBILE)
    if reading.landlines:
        found.append(Signal.LANDLINE)
    if reading.zalo:
        found.append(Signal.ZALO)
    if reading.links:
        found.append(Signal.LINK)
    if reading.disguised:
        found.append(Signal.DISGUISED)
    return found


def features(reading: Reading, name: str, signals: Iterable[str]) -> set[str]:
    """Everything the score weighs, as strings: each word folded ("vay" for
    "vậy" too) and, when it has marks, as written ("vậy" is not "vay"); the
    hosts linked to; the sender's name; the rule signals.

    Word pairs were tried and left out: on the corpus they held more readers
    without catching more spam (bench/moderation.py).
    """
    found = set()
    for word in reading.words:
        folded = fold(word)
        found.add(f"f:{folded}")
        if word != folded:
            found.add(f"w:{word}")
    found.update(f"s:{run}" for run in reading.spelled_out)
    for host in reading.links:
        found.add(f"d:{host}")
        found.add(f"t:{host.rsplit('.', 1)[-1]}")
    found.update(f"n:{fold(word)}" for word in read(name).words)
    found.update(f"r:{signal}" for signal in signals)
    return found


def _key(feature: str) -> int:
    # 63-bit hashes: a fixed-width, indexed key for any feature text.
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


@dataclass
class Score:
    value: int  # 0 to 100: how likely spam
    telling: list[str]  # the words or hosts that weighed most towards spam


def score(found: set[str]) -> Score | None:
    """How likely spam, from what moderators taught; None before any teaching
    of both kinds."""
    keys = {_key(feature): feature for feature in found}
    counts = {
        key: (spam, ham)
        for key, spam, ham in SpamFeature.objects.filter(
            key__in=[*keys, _key(_DOCUMENTS)]
        ).values_list("key", "spam", "ham")
    }
    spam_docs, ham_docs = counts.pop(_key(_DOCUMENTS), (0, 0))
    if spam_docs <= 0 or ham_docs <= 0:
        return None
    log_odds = math.log(spam_docs / ham_docs)
    weights = {}
    for key, (spam, ham) in counts.items():
        # Unseen features say nothing either way.
        if spam <= 0 and ham <= 0:
            continue
        weight = math.log((spam + _ALPHA) / (spam_docs + 2 * _ALPHA)) - math.log(
            (ham + _ALPHA) / (ham_docs + 2 * _ALPHA)
        )
        weights[keys[key]] = max(-_MAX_WEIGHT, min(_MAX_WEIGHT, weight))
    log_odds += sum(weights.values()) / _TEMPERATURE
    probability = 1 / (1 + math.exp(-max(-30.0, min(30.0, log_odds))))
    # The words that weighed most, each once and as the reader wrote it.
    as_written = {fold(f[2:]): f[2:] for f in found if f.startswith("w:")}
    telling = {}
    for feature, weight in sorted(weights.items(), key=lambda item: -item[1]):
        text = feature[2:]
        if (
            weight > 1
            and feature[:2] in ("w:", "f:", "s:", "d:")
            and not text.isdigit()
        ):
            telling.setdefault(fold(text), as_written.get(fold(text), text))
    return Score(value=round(probability * 100), telling=list(telling.values())[:3])


def _count(changes: Counter, label: str, model=SpamFeature) -> None:
    """Add ``changes`` (key -> +n or -n) to the ``label`` column.

    Increments in the database, so that two moderators deciding at once
    both count.
    """
    model.objects.bulk_create(
        [model(key=key) for key in changes], ignore_conflicts=True, batch_size=500
    )
    by_delta: dict[int, list[int]] = {}
    for key, delta in changes.items():
        if delta:
            by_delta.setdefault(delta, []).append(key)
    for delta, keys in by_delta.items():
        for start in range(0, len(keys), 500):
            model.objects.filter(key__in=keys[start : start + 500]).update(
                **{label: F(label) + delta}
            )


def comment_features(comment: Comment) -> set[str]:
    return features(read(comment.body), comment.name, comment.spam_signals.split())


def corpus(path: Path = CORPUS) -> list[dict]:
    """The shipped examples: dicts with "label", "name" and "body"."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def example_features(example: dict) -> set[str]:
    reading = read(example["body"])
    return features(reading, example.get("name", ""), reading_signals(reading))


def teach(examples: Iterable[dict], model=SpamFeature) -> None:
    """Count each corpus-like example ("label" is "spam" or "ham")."""
    changes = {"spam": Counter(), "ham": Counter()}
    for example in examples:
        found = example_features(example) | {_DOCUMENTS}
        changes[example["label"]].update(_key(feature) for feature in found)
    for label, counts in changes.items():
        if counts:
            _count(counts, label, model)


def learn_from_decisions(comments: Iterable[Comment], status: str) -> None:
    """Teach the filter the moderator's decision on each reader's comment.

    A comment already taught the other way (spam rescued, approval taken back
    as spam) is first untaught, so each comment counts once.
    """
    label = "spam" if status == Comment.Status.SPAM else "ham"
    if status == Comment.Status.PENDING:
        return
    changes = {"spam": Counter(), "ham": Counter()}
    moved = []
    for comment in comments:
        if comment.is_newsroom or comment.trained_as == label:
            continue
        keys = [_key(feature) for feature in comment_features(comment) | {_DOCUMENTS}]
        if comment.trained_as:
            changes[comment.trained_as].subtract(keys)
        changes[label].update(keys)
        moved.append(comment.pk)
    for column, counts in changes.items():
        if counts:
            _count(counts, column)
    Comment.objects.filter(pk__in=moved).update(trained_as=label)
