"""Run-on splits: a sentence with no punctuation is cut where the other side's sentences divide it."""

from __future__ import annotations

import pytest

from aligner.model import Bead
from aligner import pipeline
from aligner.partner import apply_splits
from aligner.pipeline import align_text_sentences, sentences_from_text
from aligner.runon_split import (
    PROGRESS_STAGE,
    REFINE_SWEEPS,
    RUNON_MIN_WORDS,
    _binds_next,
    _closed,
    _OpenEnds,
    find_runon_splits,
)
from tests.test_partner import GLOSS, GlossEncoder

_LATIN = "abcdefghijklmnopqrstuvwxyz"
_CYRILLIC = "абцдефгхийклмнопярстуввхыз"
EN_SENTENCES = ["the hurricane is weakening over the cooler waters off the coast of mexico losing strength by the hour",
                "it will bring rains and flooding in the coming days and next week",
                "winds reached category one on saturday morning local time",
                "hikers should not walk in the desert as canyons become raging rivers"]


def _ru_word(word: str) -> str:
    """A Cyrillic stand-in for an English word, glossed back to it (``GlossEncoder``)."""
    ru = "".join(_CYRILLIC[_LATIN.index(c)] for c in word) + "ъ"
    GLOSS[ru] = word
    return ru


# Four punctuated sentences and their translation as a transcript with no punctuation gives it.
RU = [" ".join(_ru_word(w) for w in s.split()).capitalize() + "." for s in EN_SENTENCES]
EN_WORDS = " ".join(EN_SENTENCES)
EN_STARTS = [" ".join(s.split()[:2]) for s in EN_SENTENCES]


def bead(ru_ids, en_ids, ru, en, score) -> Bead:
    return Bead(tuple(ru_ids), tuple(en_ids), " ".join(ru[i] for i in ru_ids), " ".join(en[j] for j in en_ids), score)


def test_run_on_sentence_cut_at_its_partners_boundaries() -> None:
    en = [EN_WORDS]
    assert len(EN_WORDS.split()) >= RUNON_MIN_WORDS
    beads = [bead([0], [], RU, en, 0.0), bead([1, 2], [0], RU, en, 0.1), bead([3], [], RU, en, 0.0)]
    splits = find_runon_splits(beads, RU, en, GlossEncoder())
    assert [(s.side, s.index) for s in splits] == [("en", 0)] * 3
    pieces, lines = apply_splits(en, [7], splits, "en")
    assert [p.split()[0] + " " + p.split()[1] for p in pieces] == EN_STARTS
    assert " ".join(pieces) == EN_WORDS and lines == [7] * 4  # no word lost, the line kept


def test_unaligned_run_on_sentence_and_russian_side() -> None:
    # nothing linked at all, and the run-on side Russian
    ru = [" ".join(_ru_word(w) for w in EN_WORDS.split())]
    en = [s.capitalize() + "." for s in EN_SENTENCES]
    beads = [bead([0], [], ru, en, 0.0)] + [bead([], [j], ru, en, 0.0) for j in range(4)]
    splits = find_runon_splits(beads, ru, en, GlossEncoder())
    assert len(splits) == 3 and {s.side for s in splits} == {"ru"}
    pieces, _ = apply_splits(ru, [0], splits, "ru")
    assert [p.split()[0] for p in pieces] == [_ru_word(s.split()[0]) for s in EN_SENTENCES]


@pytest.mark.parametrize("change", ["punctuated", "short", "scored", "alone", "unrelated"])
def test_left_whole(change: str) -> None:
    en, ru = [EN_WORDS], RU
    score = 0.1
    if change == "punctuated":  # a long sentence that ends with a full stop: split by the translator
        en = [EN_WORDS + "."]
    elif change == "short":
        en = [" ".join(EN_WORDS.split()[: RUNON_MIN_WORDS - 1])]
    elif change == "scored":  # the aligner paired it well enough
        score = 0.8
    elif change == "unrelated":  # no piece matches: not its translation
        ru = [" ".join(w[::-1] for w in sentence.split()) for sentence in RU]
    beads = [bead([0], [], ru, en, 0.0), bead([1, 2], [0], ru, en, score), bead([3], [], ru, en, 0.0)]
    if change == "alone":  # nothing on the other side to guide the cuts
        beads = [bead([], [0], ru, en, 0.0)]
    assert find_runon_splits(beads, ru, en, GlossEncoder()) == []


def test_transcript_from_raw_text(monkeypatch) -> None:
    ru_text = " ".join(RU)
    (ru, rl), (en, el) = sentences_from_text(ru_text, "ru", False), sentences_from_text(EN_WORDS, "en", False)
    assert len(ru) == 4 and len(en) == 1
    beads, ru, en, _, _ = align_text_sentences(ru, en, rl, el, ru_text, EN_WORDS, encoder=GlossEncoder())
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((i,), (i,)) for i in range(4)]
    assert [" ".join(e.split()[:2]) for e in en] == EN_STARTS
    monkeypatch.setattr(pipeline, "RUNON_SPLITS", False)
    (ru, rl), (en, el) = sentences_from_text(ru_text, "ru", False), sentences_from_text(EN_WORDS, "en", False)
    beads, ru, en, _, _ = align_text_sentences(ru, en, rl, el, ru_text, EN_WORDS, encoder=GlossEncoder())
    assert len(en) == 1  # without the run-on split: one sentence, at most a few partners


def test_transcript_as_a_caption_track() -> None:
    import textwrap

    ru_text = " ".join(RU)
    captions = textwrap.fill(EN_WORDS, 36)  # a caption track: short lines, broken mid-sentence
    assert captions.count("\n") >= 8
    (ru, rl), (en, el) = sentences_from_text(ru_text, "ru", False), sentences_from_text(captions, "en", False)
    assert len(en) == 1  # the lines read as one stream ...
    beads, ru, en, _, _ = align_text_sentences(ru, en, rl, el, ru_text, captions, encoder=GlossEncoder())
    assert [(b.ru_ids, b.en_ids) for b in beads] == [((i,), (i,)) for i in range(4)]
    assert [" ".join(e.split()[:2]) for e in en] == EN_STARTS  # ... and cut where the sentences end
    # each piece tells the caption line it starts on, not the track's first line
    (ru, rl), (en, el) = sentences_from_text(ru_text, "ru", False), sentences_from_text(captions, "en", False)
    _, _, en, _, en_lines = align_text_sentences(ru, en, rl, el, ru_text, captions, encoder=GlossEncoder())
    lines = captions.split("\n")
    assert en_lines[0] == 0 and en_lines == sorted(en_lines)
    assert all(lines[n].split()[-1] in e.split()[:len(lines[n].split())] for n, e in zip(en_lines, en))


def test_pairs_of_a_caption_file_keep_their_own_cues_times(tmp_path, monkeypatch) -> None:
    import textwrap

    from aligner import langid
    from aligner.pipeline import align_files
    from tests.docmaker import subtitle_text

    monkeypatch.setattr(langid, "detect", lambda text: "ru" if "ъ" in text else "en")
    ru = tmp_path / "ru.txt"
    ru.write_text(" ".join(RU) + "\n", encoding="utf-8")
    cues = textwrap.wrap(EN_WORDS, 20)  # more cues than a 12-cue group: a caption track
    srt = tmp_path / "en.srt"
    srt.write_text(subtitle_text(cues, every=2, length=2), encoding="utf-8")
    result = align_files(ru, srt, encoder=GlossEncoder())
    linked = [b for b in result.beads if b.ru_ids and b.en_ids]
    assert len(linked) == 4
    times = [b.provenance["en_time"] for b in linked]
    assert times[0].startswith("00:00:00.000-") and times[-1].endswith(f"-00:00:{2 * len(cues):02d}.000")
    starts = [t.split("-")[0] for t in times]
    assert starts == sorted(starts) and len(set(starts)) == 4  # each pair its own cues, not the file's span
    for b in linked:  # a pair's cues hold its words
        first, last = (int(x) for x in b.provenance["en_lines"].split("-"))
        cue_words = " ".join(cues[(first - 3) // 4 : (last - 3) // 4 + 1]).split()
        assert b.en.split()[0] in cue_words[:6] and b.en.split()[-1] in cue_words[-6:]


def test_wrapped_sentences_span_their_lines() -> None:
    from aligner.pipeline import sentence_spans

    track = "\n".join(f"the caption line {k} goes on" for k in range(10))
    text = "Headline on its own\n\n" + track
    sentences = ["Headline on its own", "the caption line 0 goes on the caption line 1", "goes on",
                 " ".join(f"the caption line {k} goes on" for k in range(2, 10))]
    assert sentence_spans(text, sentences, [0, 2, 2, 2]) == [(0, 0), (2, 3), (3, 3), (4, 11)]


def test_piece_lines_find_each_piece_in_its_run_of_lines() -> None:
    from aligner.pipeline import piece_lines

    track = "\n".join(f"the caption line {k} goes on" for k in range(10))  # a caption track
    text = "Headline on its own\n\n" + track
    pieces = ["the caption line 0 goes on the caption line 1", "goes on", "the caption line 2 goes on",
              " ".join(f"the caption line {k} goes on" for k in range(3, 10))]
    assert piece_lines(text, ["Headline on its own", *pieces], [0, 2, 2, 2, 2]) == [0, 2, 3, 4, 5]
    # a piece not found as written keeps its sentence's line
    assert piece_lines(text, ["Headline on its own", "not in the text", pieces[2]], [0, 2, 2]) == [0, 2, 4]


def test_stretch_shared_out_by_length() -> None:
    from aligner.runon_split import _share_out

    # two run-on sentences (300 and 100 characters) and four sentences of 100: three to the first
    assert _share_out([300, 100], [100, 100, 100, 100]) == [[0, 1, 2], [3]]
    assert _share_out([100], [10, 20]) == [[0, 1]]
    assert _share_out([50, 50], [1000]) == [[0], []]  # a middle on the edge goes to the first


def test_no_count_warning_once_a_transcript_is_cut(monkeypatch) -> None:
    import aligner
    from aligner import langid

    # the stand-in Russian words are no language a detector knows
    monkeypatch.setattr(langid, "detect", lambda text: "ru" if "ъ" in text else "en")
    codes = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
             "quebec romeo sierra tango uniform victor whiskey yankee").split()
    sentences = [f"{codes[4 * k + n]} {s}" for k in range(6) for n, s in enumerate(EN_SENTENCES)]
    ru_text = " ".join(" ".join(_ru_word(w) for w in s.split()).capitalize() + "." for s in sentences)
    en_text = " ".join(sentences)  # 24 sentences with no punctuation: one line, one "sentence"
    result = aligner.align_text(ru_text, en_text, encoder=GlossEncoder(), cache=False)
    assert len(result.en_sentences) == 24
    assert not any("differ hugely" in w for w in result.warnings)
    # texts that do not translate each other keep the warning
    other = " ".join(" ".join(w[::-1] for w in s.split()) for s in sentences)
    result = aligner.align_text(ru_text, other, encoder=GlossEncoder(), cache=False)
    assert any("differ hugely" in w for w in result.warnings)


@pytest.mark.parametrize(("word", "lang", "binds"), [
    ("the", "en", True), ("The", "en", True), ("of", "en", True), ("because", "en", True),
    ("their", "en", True), ("i", "en", True), ("today,", "en", True), ("hour", "en", False),
    ("him", "en", False), ("в", "ru", True), ("когда", "ru", True), ("не", "ru", True),
    ("ожидается,", "ru", True), ("году", "ru", False), ("мир", "ru", False), ("Москве", "ru", False),
])
def test_words_that_bind_the_next(word: str, lang: str, binds: bool) -> None:
    assert _binds_next(word, lang) is binds


def test_no_cut_after_a_binding_word_unless_every_cut_is_so() -> None:
    words = "rains will spread over the area by monday the storm weakens".split()
    ends = _OpenEnds(words, "en")
    # a cut at word c leaves words[c - 1] last in the piece before it
    assert _closed([8, 9], ends) == [8]  # "...by monday| the storm", not "...monday the| storm"
    assert _closed([6, 7], ends) == [6]  # after "area", not after "by"
    assert _closed([5, 7], ends) == [5, 7]  # after "the" and after "by": nothing left to prefer


def test_progress_counts_placements_and_sweeps_to_the_end() -> None:
    en = [EN_WORDS]
    beads = [bead([0], [], RU, en, 0.0), bead([1, 2], [0], RU, en, 0.1), bead([3], [], RU, en, 0.0)]
    seen: list[tuple[str, int, int]] = []
    splits = find_runon_splits(beads, RU, en, GlossEncoder(), progress=lambda *a: seen.append(a))
    assert len(splits) == 3
    total = 3 * (1 + REFINE_SWEEPS)  # three cuts placed, then each sweep over them
    assert {s for s, _, _ in seen} == {PROGRESS_STAGE} and {t for _, _, t in seen} == {total}
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[-1] == total
