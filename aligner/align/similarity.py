"""Scoring terms for candidate beads: cosine, margin normalisation and a length-ratio term.

All terms are computed only on band cells (see ``dp.Band``), with dense matrix
products over small row blocks, so time and memory grow with the band, not with
``n * m``. Every statistic (neighbourhood averages, the expected length ratio
and its spread) is estimated from the document itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from aligner.align.dp import Band
from aligner.numbers import roman_value


@dataclass(frozen=True)
class Side:
    """Embeddings and character lengths of one side's windows.

    Attributes:
        emb: ``emb[w-1]`` is ``(n-w+1, dim)`` float32, unit rows: the embedding of
            sentences ``i..i+w-1`` joined by a space.
        length: ``length[w-1]`` is ``(n-w+1,)`` float64, character length of that text.
        cont: ``(n,)`` bool from ``continues`` (the sentence ends with a colon or semicolon);
            ``None`` when unknown (then the continuation cost is off).
        par: ``(n,)`` bool from ``paragraph_ends`` (the sentence is the last of its paragraph);
            ``None`` when unknown (then the paragraph cost is off).
        stand_in: ``stand_in[w-1]`` is ``(n-w+1,)`` bool, True where ``emb`` holds a stand-in
            for the window's real vector (``aligner.align.windows``); ``None``: all real.
        bonus: ``bonus[w-1]`` is ``(n-w+1,)`` float32 added to every cosine of that window
            (the stand-in's expected shortfall; 0 for real vectors); ``None``: no correction.
        nums: ``nums[i]`` is the set of numbers of sentence i (``numbers``); ``None`` when
            unknown (then ``AlignConfig.number_crossings`` is off).
        heads: ``heads[i]`` is the chapter number of sentence i when it is a chapter heading
            (``heading_numbers``), else 0; ``None`` when unknown (then
            ``AlignConfig.heading_anchors`` is off).
        parens: ``parens[i]`` is +1 where sentence i stops inside an open bracket, -1 where it
            closes one (``paren_balance``), else 0; ``None`` when unknown (then ``AlignConfig.paren_crossings`` is
            off).
        follows: ``follows[i]`` is True where sentence i goes on with the sentence before it
            (``follows_on``); ``None`` when unknown (then ``AlignConfig.follow_on`` is off).
        names: ``names[i]`` is the set of ``name_key`` of sentence i's words (``name_keys``);
        initial_leads: ``initial_leads[i]`` is the key of sentence i's first word where the line
            before it stops on an initial (``initial_leads``), else ""; either ``None`` when
            unknown (then ``AlignConfig.initial_cuts`` is off).
    """

    emb: tuple[np.ndarray, ...]
    length: tuple[np.ndarray, ...]
    cont: np.ndarray | None = None
    par: np.ndarray | None = None
    stand_in: tuple[np.ndarray, ...] | None = None
    bonus: tuple[np.ndarray, ...] | None = None
    nums: tuple[frozenset[str], ...] | None = None
    heads: tuple[int, ...] | None = None
    parens: tuple[int, ...] | None = None
    follows: tuple[bool, ...] | None = None
    names: tuple[frozenset[str], ...] | None = None
    initial_leads: tuple[str, ...] | None = None

    @property
    def n(self) -> int:
        return int(self.emb[0].shape[0])


CONTINUATION_MARKS = (":", ";")


def continues(sentences: list[str]) -> np.ndarray:
    """``(n,)`` bool: the sentence ends with a colon or semicolon, so its thought goes on in the
    next sentence (a split that the other language's punctuation often does not make:
    "... assauts :" / "1953 die Expedition des AACZ ...")."""
    return np.array([s.rstrip().endswith(CONTINUATION_MARKS) for s in sentences], dtype=bool)


_FINAL_STOP = re.compile(r"[.!?\u2026]\W*$")
# emoticons and runs of brackets ("компы плохо тянут :(", ":-)", "))"): no bracket to close
_SMILEY = re.compile(r"[:;=]-?[()]+|\({2,}|\){2,}")


def paren_balance(sentences: list[str]) -> tuple[int, ...]:
    """Where a sentence line stops inside brackets: +1 where more "(" than ")" are in the line
    and it ends with no full stop, question or exclamation mark (a splitter's cut at a colon
    inside a reference: "... « Tents in the Clouds » ( London :"), -1 where more ")" than "("
    are in it (it closes what an earlier line opened: "Collins 1956 ) , flott geschrieben
    ..."), else 0. A line that opens a bracket and ends a sentence in it ("( Die Sohlen aus
    Gummi ... wie Schmierseife .") gets 0: a bracket may hold several sentences. Emoticons
    (":(", ":-)") and runs of brackets ("))") are not brackets."""
    out = []
    for s in sentences:
        s = _SMILEY.sub(" ", s)
        d = s.count("(") - s.count(")")
        out.append(-1 if d < 0 else int(d > 0 and not _FINAL_STOP.search(s)))
    return tuple(out)


# a run of digits, with thousands groups joined ("5 000", "5,000", "5'000", "5.000" -> "5000")
_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f'’.,]\d{3})+(?!\d)|\d+")
NUMBER_MIN_DIGITS = 3


def numbers(sentences: list[str], min_digits: int = NUMBER_MIN_DIGITS) -> tuple[frozenset[str], ...]:
    """The numbers of each sentence that a translation copies as they are: digit strings of at
    least ``min_digits`` digits (years, heights, amounts), thousands separators removed.

    Shorter numbers are left out: page numbers and running heads of OCR'd books ("... a
    progressé 2 Les Alpes - 1957 - Die Alpen 17 synchroniquement", textberg_dev), list
    numbers and day numbers recur everywhere and would pair unrelated sentences.
    """
    out = []
    for s in sentences:
        found = (re.sub(r"\D", "", m) for m in _NUMBER.findall(s))
        out.append(frozenset(x for x in found if len(x) >= min_digits))
    return tuple(out)


# Words are compared across languages by their first letters in the Latin alphabet, so a name
# matches its transliteration ("Эванс" / "Evans") and its case forms ("Абалакова" / "Abalakov").
NAME_KEY_LETTERS = 5
_LATIN = str.maketrans({c: t for c, t in zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"))})
_WORD = re.compile(r"[^\W\d_]+")
NAME_MIN_LETTERS = 3


def name_key(word: str) -> str:
    """``word`` lower-cased, Cyrillic letters in Latin ones, cut to ``NAME_KEY_LETTERS``."""
    return word.lower().translate(_LATIN)[:NAME_KEY_LETTERS]


def name_keys(sentences: list[str]) -> tuple[frozenset[str], ...]:
    """The ``name_key`` of every word of ``NAME_MIN_LETTERS`` or more letters in each sentence
    (a word is a run of letters: "Ch.Evans" holds "Evans")."""
    return tuple(frozenset(name_key(w) for w in _WORD.findall(s) if len(w) >= NAME_MIN_LETTERS)
                 for s in sentences)


def _stops_on_initial(sentence: str) -> bool:
    """The line ends with a full stop after a capital letter alone or a capital and one small
    letter ("durch B.M .", "H. Larch-F .", "Leiter Ch ."): a splitter cut after an initial
    or a title, inside the sentence."""
    s = sentence.rstrip()
    if not s.endswith("."):
        return False
    body = s[:-1].rstrip()
    last = re.split(r"[\s.\-]", body)[-1]
    return (0 < len(last) <= 2 and last.isalpha() and last[0].isupper()
            and (len(last) == 1 or last[1].islower()) and len(body) > len(last))


def initial_leads(sentences: list[str]) -> tuple[str, ...]:
    """For each sentence, "" unless the line before it stops on an initial (``_stops_on_initial``)
    and it starts with a capitalised word of ``NAME_MIN_LETTERS`` or more letters ("B.M . |
    Abalakow , seitdem ..."): then that word's ``name_key``, the name the initial belongs to."""
    out = [""] * len(sentences)
    for i in range(1, len(sentences)):
        m = _WORD.search(sentences[i])
        if (m and m.start() == len(sentences[i]) - len(sentences[i].lstrip()) and len(m.group()) >= NAME_MIN_LETTERS
                and m.group()[0].isupper() and _stops_on_initial(sentences[i - 1])):
            out[i] = name_key(m.group())
    return tuple(out)


# Lines open in lower case in lower-cased corpora, subtitles and chat logs, where it tells nothing:
# ``follows_on`` marks no line when more than this share of the lines that open with a letter open
# in lower case (Text+Berg, OCR fragments and all: 0.03-0.18 a side; the books and news, 0-0.13).
FOLLOW_MAX_LOWER_SHARE = 0.25


def _bracket_left_open(s: str) -> bool:
    """The line's last bracket opens and the line has no final stop: "… in deutscher Fassung (
    Zürich :" (a splitter's cut at a colon inside a reference). ``s`` has its smileys blanked."""
    return s.rfind("(") > s.rfind(")") and not _FINAL_STOP.search(s)


def _bracket_closed_first(s: str) -> bool:
    """The line's first bracket closes one: "Orell Füssli 1956 ) vorliegt , …". ``s`` has its
    smileys blanked."""
    close = s.find(")")
    return close >= 0 and not 0 <= s.find("(") < close


def follows_on(sentences: list[str]) -> tuple[bool, ...]:
    """For each line, whether it goes on with the line before: it closes a bracket that line left
    open ("… deutscher Fassung ( Zürich : | Orell Füssli 1956 ) vorliegt , …"), or it opens with a
    lower-case letter and that line stops on a letter, a digit, a comma, a colon, a semicolon or a
    dash, not on a full stop nor a bracket or smiley ("…l' Océan indien avant que l' Himalaya ne
    dresse ses cimes vers le ciel ; | le travail d' érosion a progressé …": a page break inside
    one sentence). Lower case says nothing where many lines open so (``FOLLOW_MAX_LOWER_SHARE``)."""
    firsts = [s.lstrip()[:1] for s in sentences]
    letters = [c for c in firsts if c.isalpha()]
    lower_counts = bool(letters) and sum(c.islower() for c in letters) <= FOLLOW_MAX_LOWER_SHARE * len(letters)
    plain = [_SMILEY.sub(" ", s) for s in sentences]  # smileys are no brackets
    out = [False] * len(sentences)
    for i in range(1, len(sentences)):
        last = sentences[i - 1].rstrip()[-1:]
        lower = (lower_counts and firsts[i].isalpha() and firsts[i].islower() and bool(last)
                 and (last.isalnum() or last in ",;:-–—"))
        out[i] = lower or (_bracket_left_open(plain[i - 1]) and _bracket_closed_first(plain[i]))
    return tuple(out)


def text_marks(sentences: list[str]) -> dict[str, object]:
    """What the passes after the DP read off a side's sentence texts, as ``Side`` fields."""
    return {"cont": continues(sentences), "nums": numbers(sentences), "heads": heading_numbers(sentences),
            "parens": paren_balance(sentences), "follows": follows_on(sentences), "names": name_keys(sentences),
            "initial_leads": initial_leads(sentences)}


# Chapter headings: a Roman numeral alone ("V", "II."), one before a title ("I. Мальчик с
# ручкой", "I. Bourgeois and Proletarians"), or a chapter word with a number or an ordinal
# ("Глава пятая", "Chapter 5", "Chapter the Fifth"). An Arabic number alone ("1.") is a list
# item, not a heading, and is left out.
_RU_ORDINAL_STEMS = ("перв", "втор", "трет", "четв", "пят", "шест", "седьм", "восьм", "девят", "десят")
# a stem and an ending of at most 3 letters: "пятая", "третья", not "пятнадцатая"
_RU_ORDINAL = re.compile(r"(?:перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)[^\W\d_]{0,3}")
_ENGLISH_NUMBERS = {w: n for n, ws in enumerate(
    (("first", "one"), ("second", "two"), ("third", "three"), ("fourth", "four"), ("fifth", "five"),
     ("sixth", "six"), ("seventh", "seven"), ("eighth", "eight"), ("ninth", "nine"), ("tenth", "ten")), 1)
    for w in ws}
_HEADING_ROMAN = re.compile(r"([IVXLC]+)\.?(?:\s+[^\W\d_].*)?", re.S)
_HEADING_WORD = re.compile(r"(?:глава|chapter)\s+(?:the\s+)?([IVXLC]+|\d{1,3}|[^\W\d_]+)\.?", re.I)


def _roman(text: str) -> int:
    """The value of a Roman numeral up to C (0 when it is not a well-formed one)."""
    total = roman_value(text)
    return total if _to_roman(total) == text else 0


def _to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + r, n - v
    return out


def heading_number(sentence: str) -> int:
    """The chapter number of a heading line ("V", "II.", "I. Мальчик с ручкой", "Глава пятая",
    "Chapter 5"), or 0 when the line is no chapter heading. A Roman numeral followed by a
    title needs its full stop ("I. Bourgeois ...": "I think" is no heading)."""
    text = sentence.strip()
    m = _HEADING_WORD.fullmatch(text)
    if m:
        word = m.group(1)
        if word.isdigit():
            return int(word)
        if re.fullmatch(r"[IVXLC]+", word):
            return _roman(word)
        low = word.lower()
        if low in _ENGLISH_NUMBERS:
            return _ENGLISH_NUMBERS[low]
        if _RU_ORDINAL.fullmatch(low):
            return next(n for n, stem in enumerate(_RU_ORDINAL_STEMS, 1) if low.startswith(stem))
        return 0
    m = _HEADING_ROMAN.fullmatch(text)
    if m and (len(text) == len(m.group(1)) or text[len(m.group(1))] == "."):
        return _roman(m.group(1))
    return 0


def heading_numbers(sentences: list[str]) -> tuple[int, ...]:
    """``heading_number`` of each sentence."""
    return tuple(heading_number(s) for s in sentences)


# OCR debris: a line whose letter/digit runs are all one or two letters long ("V", "f r",
# "h * \"", ".:-- , ."). Not debris: a digit (page numbers, years, list numbers), a Roman
# numeral ("II", "L' E ." keeps its "L"), a capitalised two-letter word ("Да", "No", "Vv"), a
# lone letter before final ? ! or … ("А?", "— У!": an interjection), and a line of one or two
# punctuation marks ("." or "!" split off a neighbouring sentence).
_RUN = re.compile(r"[^\W_]+")
_ROMAN = re.compile(r"[IVXLCM]+")
_INTERJECTION = re.compile(r"[^\W\d_]\W*[?!…]\W*$")


def is_debris(sentence: str) -> bool:
    """True when ``sentence`` looks like OCR debris of a scanned page (stray marks around
    photo captions) rather than text: see ``_RUN`` above."""
    text = sentence.strip()
    runs = _RUN.findall(text)
    if not runs:
        return len(text.replace(" ", "")) > 2
    for r in runs:
        if len(r) > 2 or any(c.isdigit() for c in r) or _ROMAN.fullmatch(r):
            return False
        if len(r) == 2 and r[0].isupper() and r[1].islower():
            return False
    return not _INTERJECTION.search(text)


def run_starts(values: np.ndarray) -> np.ndarray:
    """``(n,)`` bool, True where a run of equal values starts (at 0 and wherever a value differs
    from the one before); for sorted values, the first of each distinct one. Non-empty input."""
    out = np.empty(values.size, dtype=bool)
    out[0] = True
    np.not_equal(values[1:], values[:-1], out=out[1:])
    return out


def paragraph_ends(paragraph_ids) -> np.ndarray:
    """``(n,)`` bool from each sentence's paragraph id: True where the next sentence is in another
    paragraph, and for the last sentence."""
    ids = np.asarray(paragraph_ids)
    out = np.ones(ids.shape[0], dtype=bool)
    if ids.shape[0] > 1:
        out[:-1] = ids[1:] != ids[:-1]
    return out


def window_texts(sentences: list[str], max_window: int) -> list[list[str]]:
    """Texts of all windows of 1..max_window adjacent sentences (joined by a space)."""
    n = len(sentences)
    return [[" ".join(sentences[i : i + w]) for i in range(n - w + 1)] for w in range(1, max_window + 1)]


def transpose(band: Band) -> Band:
    """The same cells seen from the en side: for each en prefix j, the ru prefixes i."""
    m = band.m
    j = np.arange(m + 1)
    first = np.searchsorted(band.hi, j, side="left")  # first row whose range reaches j
    last = np.searchsorted(band.lo, j, side="right") - 1  # last row whose range starts <= j
    return Band(first.astype(np.int64), last.astype(np.int64))


def pair_dots(a: np.ndarray, b: np.ndarray, ai: np.ndarray, bj: np.ndarray, block: int = 0) -> np.ndarray:
    """``a[ai[k]] . b[bj[k]]`` for every k, by dense products over row blocks.

    Args:
        a: ``(na, d)``; b: ``(nb, d)``.
        ai, bj: ``(K,)`` indices, ``ai`` non-decreasing (cells of a band come row by row).
        block: rows of ``a`` per dense product; 0 picks about half the mean band width,
            which keeps the dense products within ~1.5x of the cells asked for.
    Returns:
        ``(K,)`` float32.
    """
    out = np.empty(ai.size, dtype=np.float32)
    if ai.size == 0:
        return out
    if ai.size <= 16 and block <= 0:  # a few beads (the merge check): gather, no dense blocks
        return np.einsum("kd,kd->k", a[ai], b[bj]).astype(np.float32)
    if block <= 0:
        rows = int(ai[-1] - ai[0]) + 1
        block = int(min(256, max(8, ai.size / rows / 2)))
    # block edges: sorted (``ai`` is), so the distinct ones are where the value changes; the
    # last edge is ``ai.size`` (searchsorted returns at most that), so blocks are non-empty
    edges = np.searchsorted(ai, np.arange(ai[0], ai[-1] + block, block), side="left")
    edges = np.append(edges, ai.size)
    edges = edges[run_starts(edges)]
    starts, ends = edges[:-1], edges[1:]
    # block bounds and each cell's flat position inside its block's dense product, computed
    # for all blocks at once, so the loop is only the products and one gather each
    r0 = ai[starts].astype(np.int64)
    r1 = ai[ends - 1].astype(np.int64) + 1  # ai is non-decreasing
    c0 = np.minimum.reduceat(bj, starts).astype(np.int64)
    c1 = np.maximum.reduceat(bj, starts).astype(np.int64) + 1
    counts = ends - starts
    local = ai - np.repeat(r0, counts)  # per-block values spread with np.repeat (sequential copies)
    local *= np.repeat(c1 - c0, counts)
    local += bj
    local -= np.repeat(c0, counts)
    bounds = zip(starts.tolist(), ends.tolist(), r0.tolist(), r1.tolist(), c0.tolist(), c1.tolist())
    for s, e, x0, x1, y0, y1 in bounds:
        (a[x0:x1] @ b[y0:y1].T).take(local[s:e], out=out[s:e])  # take() reads the product flat
    return out


def block_sums(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Sums of consecutive row blocks: ``np.add.reduceat(x, edges[:-1], axis=0)``, bit for bit.

    ``reduceat`` over axis 0 walks each column with a large stride (slow on 50k x 512);
    this replays its arithmetic (the block's first row plus numpy's pairwise sum of the
    others: plain for fewer than 8 terms, else 8 running partial sums) over all blocks of
    one length at once, as whole-row float operations. Falls back to ``reduceat`` when a
    block has fewer than 9 rows (no gain) or more than 129 (numpy splits those sums further).

    Args:
        x: ``(n, d)``; edges: ``(k+1,)`` increasing block bounds, ``edges[-1] == n``.
    Returns:
        ``(k, d)`` in ``x``'s dtype.
    """
    starts, lens = edges[:-1], np.diff(edges)
    if lens.size == 0 or lens.min() < 9 or lens.max() > 129:
        return np.add.reduceat(x, starts, axis=0)
    out = np.empty((starts.size, x.shape[1]), dtype=x.dtype)
    for size in np.unique(lens).tolist():
        sel = np.flatnonzero(lens == size)
        rows = starts[sel] + 1  # the terms after each block's first row
        n = size - 1
        r = [x[rows + j] for j in range(8)]
        i = 8
        while i < n - n % 8:
            for j in range(8):
                r[j] += x[rows + i + j]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(i, n):
            res += x[rows + i]
        out[sel] = x[starts[sel]] + res
    return out


def neighbour_mean(a: np.ndarray, b: np.ndarray, lo: np.ndarray, hi: np.ndarray, k: int,
                   pad: float | None = None) -> np.ndarray:
    """Mean of the ``k`` largest cosines of each row of ``a`` against ``b[lo[i]:hi[i]]``.

    This is the neighbourhood term of Artetxe & Schwenk's margin (and of CSLS):
    how similar a sentence is to its best candidates in general.

    Args:
        a: ``(na, d)`` unit rows; b: ``(nb, d)`` unit rows.
        lo, hi: ``(na,)`` half-open ranges into ``b`` (the local neighbourhood), non-decreasing.
        k: neighbours averaged.
        pad: when the range holds fewer than ``k`` sentences (tiny documents), the missing
            neighbours count with this cosine (a prior for "the best wrong candidates a
            larger document would offer"); ``None`` averages over the ones present.
    Returns:
        ``(na,)`` float32 (``pad``, or 0, where the range is empty).
    """
    na = a.shape[0]
    out = np.full(na, 0.0 if pad is None else pad, dtype=np.float32)
    if na == 0 or b.shape[0] == 0:
        return out
    lo = np.clip(lo, 0, b.shape[0])
    hi = np.clip(hi, 0, b.shape[0])
    block = 64
    r0s = np.arange(0, na, block)
    c0s = np.minimum.reduceat(lo, r0s).tolist()
    c1s = np.maximum.reduceat(hi, r0s).tolist()
    present = np.maximum(hi - lo, 0)  # cells in each row's range
    for r0, c0, c1 in zip(r0s.tolist(), c0s, c1s):
        r1 = min(na, r0 + block)
        if c1 <= c0:
            continue
        dense = a[r0:r1] @ b[c0:c1].T
        cols = np.arange(c0, c1)
        inside = (cols[None, :] >= lo[r0:r1, None]) & (cols[None, :] < hi[r0:r1, None])
        kk = min(k, c1 - c0)
        filled = np.where(inside, dense, np.float32(-np.inf))
        top = np.partition(filled, c1 - c0 - kk, axis=1)[:, c1 - c0 - kk :]
        counts = np.minimum(present[r0:r1], kk)
        top = np.where(np.isfinite(top), top, 0.0)
        if pad is None:
            out[r0:r1] = top.sum(axis=1) / np.maximum(counts, 1)
        else:
            out[r0:r1] = (top.sum(axis=1) + (k - counts) * pad) / k
    return out


def length_stats(ru_len: np.ndarray, en_len: np.ndarray, pairs: np.ndarray, floor: float) -> tuple[float, float]:
    """Expected log length ratio (en / ru) and its spread, from the document itself.

    Gale & Church (1993) model the length of a translation as proportional to the
    source length with a Gaussian error; here in log space. The proportion is the
    median ratio over confident pairs (anchors) when there are enough of them, else
    the ratio of the total lengths; the spread is their robust (MAD) deviation,
    floored at ``floor``.

    With 1-4 anchors, in a document so short that they pair at least half the sentences of its
    shorter side, the total ratio is trusted only as far as they agree with it: the spread is at
    least the distance between the two. In a short document a deleted sentence moves the total
    ratio far (a review of three sentences against the translation of its last one: the total
    says the translation is a third as long, the one anchor says as long), and a narrow spread
    around that wrong ratio made the aligner link all three to the one. (Few anchors in a longer
    document mean texts that do not match, where a wide spread would only lift the scores of
    unrelated pairs.) On synthetic
    deletions in the dev documents (``scripts/bench_moves.py``) the partners left unaligned went
    123 -> 134 of 146 (two neighbouring sentences deleted), 108 -> 119 of 124 (two opening a
    paragraph), 63 -> 76 of 81 (three ending one); every prediction on the real cases is the same.

    Args:
        ru_len, en_len: ``(n,)`` and ``(m,)`` sentence lengths in characters.
        pairs: ``(k, 2)`` confident 1-1 pairs (ru index, en index).
        floor: smallest spread returned.
    Returns:
        ``(mu, sigma)`` of ``log(len_en / len_ru)``.
    """
    if len(pairs) >= 5:
        r = np.log((en_len[pairs[:, 1]] + 1.0) / (ru_len[pairs[:, 0]] + 1.0))
        mu = float(np.median(r))
        sigma = float(1.4826 * np.median(np.abs(r - mu)))
    else:
        mu = float(np.log((en_len.sum() + 1.0) / (ru_len.sum() + 1.0)))
        sigma = floor
        if len(pairs) and 2 * len(pairs) >= min(len(ru_len), len(en_len)):
            r = np.log((en_len[pairs[:, 1]] + 1.0) / (ru_len[pairs[:, 0]] + 1.0))
            sigma = abs(float(np.median(r)) - mu)
    return mu, max(sigma, floor)


def length_penalty(len_x: np.ndarray, len_y: np.ndarray, mu: float, sigma: float, smooth: float = 10.0) -> np.ndarray:
    """Gaussian negative log-likelihood (nats, 0 at the expected ratio) of a bead's length ratio.

    ``smooth`` characters are added to both sides, so very short sentences
    ("Yes." / "Да.") are not punished for large relative differences.
    """
    z = (len_y + smooth) / (len_x + smooth)
    if np.ndim(z) == 0:
        z = (np.log(z) - mu) / sigma
        return 0.5 * z * z
    np.log(z, out=z)  # in place from here: the same operations, fewer temporaries
    z -= mu
    z /= sigma
    half = 0.5 * z
    half *= z
    return half
