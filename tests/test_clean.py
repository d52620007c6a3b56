from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.clean import MIN_COPY_KEY, clean, noise_rule, normalize_key
from aligner.model import Paragraph, Source


def paras(*texts: str) -> list[Paragraph]:
    return [Paragraph(t, source=Source(file="f", line_start=n, line_end=n)) for n, t in enumerate(texts, 1)]


@pytest.mark.parametrize(
    "line, rule",
    [
        ("Please open Telegram to view this post", "telegram_ui"),
        ("VIEW IN TELEGRAM", "telegram_ui"),
        ("Media is too big", "telegram_ui"),
        ("Read in full", "read_more"),
        ("📄 Read in full", "read_more"),
        ("Читать полностью →", "read_more"),
        ("🔥1", "reaction_counter"),
        ("🕊1", "reaction_counter"),
        ("👍 12 ❤ 3", "reaction_counter"),
        ("❤️ 1.2K 🔥 845", "reaction_counter"),
        ("12.3K views", "view_counter"),
        ("👁 1.2K", "view_counter"),
        ("5.1K views edited 10:14", "view_counter"),
        ("edited 10:14", "timestamp"),
        ("Forwarded from MFA Russia 🇷🇺", "forwarded_from"),
        ("Переслано из МИД России", "forwarded_from"),
        ("📊 📊 📊 📊", "symbols_only"),
        ("   ", "empty"),
    ],
)
def test_noise_rule_fires(line, rule):
    assert noise_rule(line) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Read in full the statement by the Foreign Ministry on the talks.",
        "🔥 Fires broke out in 12 regions",
        "2025",
        "#RussiaChina",
        "Media freedom is too big a topic for one post.",
        "📍 Minsk, June 27, 2025",
        "Key statements:",
    ],
)
def test_noise_rule_keeps_text(line):
    assert noise_rule(line) is None


def test_chapter_numbers_are_never_duplicates():
    """A book and its translation in one file repeat "I", "II": dropping the translation's left
    "Глава первая" with nothing to link to."""
    res = clean(paras("I", "Он проснулся рано утром.", "II.", "He woke up.", "I", "II.", "Он проснулся рано утром."))
    assert [p.text for p in res.kept] == ["I", "Он проснулся рано утром.", "II.", "He woke up.", "I", "II."]
    assert [d.reason for d in res.dropped] == ["duplicate"]


def test_a_short_line_said_again_stays_unless_its_neighbours_are_copies_too():
    """Tolstoy's "— Да." comes many times in running text; a hashtag line under a copied post goes."""
    res = clean(paras("— Да.", "Она покачала головой и вышла из комнаты.", "— Да.", "Он остался один."))
    assert [p.text for p in res.kept] == ["— Да.", "Она покачала головой и вышла из комнаты.", "— Да.", "Он остался один."]
    post = ("The ministers discussed trade and the new transport corridor.", "#RussiaChina")
    res = clean(paras(*post, "A new post about something else entirely.", *post))
    assert [p.text for p in res.kept] == [*post, "A new post about something else entirely."]
    assert [d.reason for d in res.dropped] == ["duplicate", "duplicate"]
    # a line of a link or emoji only has no words to say again: a repeat goes
    assert [p.text for p in clean(paras("https://t.me/x", "Something new here.", "https://t.me/x")).kept] == [
        "https://t.me/x", "Something new here."]


def test_a_refrain_inside_a_post_stays_a_copied_post_goes():
    """The Happy Prince asks the Swallow three times in the same words; a scraper's copy of a
    one-line post is a post of its own (the dump reader starts one there), and goes."""
    refrain = "“Swallow, Swallow, little Swallow,” said the Prince, “will you not stay with me one night longer?”"

    def unit(texts, units):
        return [Paragraph(t, source=Source(file="f", line_start=n, line_end=n, unit=u))
                for n, (t, u) in enumerate(zip(texts, units), 1)]

    story = unit([refrain, "So the Swallow stayed with the Prince.", refrain, "And the Swallow flew away."],
                 ["p1"] * 4)
    assert [p.text for p in clean(story).kept] == [p.text for p in story]
    posts = unit([refrain, "A new post about something else entirely.", refrain, "The next post begins here."],
                 ["p1", "p2", "p3", "p4"])
    res = clean(posts)
    assert [d.text for d in res.dropped] == [refrain]
    # a document without posts (a DOCX, an article, subtitles) is one unit: the refrain stays
    assert clean(paras(refrain, "So the Swallow stayed.", refrain, "He flew.")).dropped == []
    # ... but not with no source at all
    bare = [Paragraph(t) for t in (refrain, "So the Swallow stayed.", refrain, "He flew.")]
    assert [d.text for d in clean(bare).dropped] == [refrain]
    # a copy with a copied line beside it is a copied post, even inside one unit
    block = unit([refrain, "So the Swallow stayed with the Prince.", refrain, "So the Swallow stayed with the Prince.",
                  "The end."], ["p1"] * 5)
    assert [d.reason for d in clean(block).dropped] == ["duplicate", "duplicate"]


def test_exact_duplicates_keep_first():
    res = clean(paras("Россия и Китай подписали соглашение.", "Another line.", "Россия и Китай подписали соглашение."))
    assert [p.text for p in res.kept] == ["Россия и Китай подписали соглашение.", "Another line."]
    assert [(d.reason, d.source.line_start) for d in res.dropped] == [("duplicate", 3)]


@pytest.mark.parametrize(
    "first, later",
    [
        ("💬 President Vladimir Putin had a telephone conversation with Xi Jinping.",
         "President Vladimir Putin had a telephone conversation with Xi Jinping."),  # emoji prefix
        ("The Russian leader reaffirmed Russia’s readiness to offer its good offices, if necessary.",
         "🔹 The Russian leader reaffirmed Russia's readiness to offer its good offices, if necessary!"),
        ("The Russian leader reaffirmed Russia’s readiness to offer its good offices, if necessary, in the region.",
         "The Russian leader reaffirmed Russia’s readiness to offer its good offices <...>"),  # truncation
        ("Yet despite all the hardships endured by our fathers and grandfathers, Russia stood firm.",
         "Yet despite all the hardships endured by our fathers and…"),
        ("⚡️ Breaking: The two Leaders agreed to instruct their respective teams to work closely together.",
         "The two Leaders agreed to instruct their respective teams to work closely together."),  # prefix dropped
        ("Мы этого никогда не забудем и не позволим забыть никому!", "МЫ ЭТОГО НИКОГДА НЕ ЗАБУДЕМ И НЕ ПОЗВОЛИМ ЗАБЫТЬ НИКОМУ"),
    ],
)
def test_near_duplicates_keep_first(first, later):
    res = clean(paras(first, later))
    assert [p.text for p in res.kept] == [first]
    assert [d.reason for d in res.dropped] == ["near_duplicate"]


def test_short_prefix_is_not_a_duplicate():
    res = clean(paras("The talks were constructive and lasted three hours.", "The talks were"))
    assert len(res.kept) == 2


def test_noise_lines_inside_a_paragraph_are_removed():
    p = Paragraph("Russia and China signed an agreement.\n🔥1\nVIEW IN TELEGRAM", source=Source(post_id="4"))
    res = clean([p])
    assert [q.text for q in res.kept] == ["Russia and China signed an agreement."]
    assert [(d.reason, d.text) for d in res.dropped] == [("noise", "🔥1"), ("noise", "VIEW IN TELEGRAM")]
    assert res.kept[0].source.post_id == "4"


def test_sample_dump_counts(shared_dir):
    from aligner.readers import read_paragraphs

    res = clean(read_paragraphs(shared_dir / "samples" / "mfa_channel_dump.txt"))
    texts = [p.text for p in res.kept]
    assert not any(t in ("VIEW IN TELEGRAM", "Read in full", "🔥1", "🕊1") for t in texts)
    assert len(texts) == len(set(texts))
    reasons = {d.reason for d in res.dropped}
    assert reasons <= {"noise", "duplicate", "near_duplicate"} and "noise" in reasons and "duplicate" in reasons
    assert sum(t.startswith("💬 President Vladimir Putin had a telephone") for t in texts) == 1


def test_normalize_key():
    assert normalize_key("💬 Ёлка — «ЗЕЛЁНАЯ»!  https://t.me/x") == "елка зеленая"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=20))
def test_clean_partitions_input(texts):
    res = clean(paras(*texts))
    kept = [p.text for p in res.kept]
    copies = [t for t in kept if len(normalize_key(t)) >= MIN_COPY_KEY or not normalize_key(t)]
    assert len(copies) == len({" ".join(t.split()) for t in copies})  # no exact duplicates left but short lines
    assert len(res.kept) <= len(texts)
    assert all(p.text.strip() for p in res.kept)
    assert clean(res.kept).kept == res.kept  # idempotent
