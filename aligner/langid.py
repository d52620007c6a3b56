"""Language ID for mixed ru/en dumps: ``ru``, ``en`` or ``other``, deterministically.

Most decisions are settled by counting letters: the Cyrillic/Latin ratio
picks the script, and letters that Russian never uses (і ї є ґ ў ђ ј љ њ ћ џ
ѓ ќ ѕ, and the Turkic, Tajik and Mongolian ә ғ қ ң ө ұ ү һ җ ӣ ӯ ҳ ҷ) mark
Ukrainian, Belarusian, Serbian, Macedonian, Kazakh, Kyrgyz, Tatar, Tajik
and Mongolian as ``other``. Bulgarian, Macedonian and Serbian words that are
not Russian words (``е``, ``се``, ``са``, ``ще``, ``това``, ``од``, ``су``...)
are the evidence on short lines that have no such letter. Only where that
leaves it open (Cyrillic text with both Russian and Bulgarian marks; Latin
text with few English function words) a statistical detector decides:
lingua, restricted to the few languages that matter, built lazily and once.
lingua is deterministic, unlike unseeded langdetect.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from aligner.model import Lang, Paragraph, Source

__all__ = ["detect", "label_paragraphs", "may_join_block", "strip_markup"]

# Texts longer than this are sampled: ``detect`` also labels whole 10 MB files.
SAMPLE_THRESHOLD = 20_000
SAMPLE_WINDOWS = 40
SAMPLE_WINDOW_CHARS = 500
# Below this many letters the statistical detector is unreliable; the letter
# rules alone decide, defaulting to the script's main language.
MIN_LETTERS_FOR_MODEL = 16
# Share of Cyrillic letters that must be non-Russian before a text is "other":
# Ukrainian і is ~6 % of letters, so 1 % is safe, while a Russian text that
# quotes one Ukrainian name stays Russian.
FOREIGN_SHARE = 0.01

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|ru|рф|io|me|gov|int|info)(?:/\S*)?", re.IGNORECASE)
_TAG = re.compile(r"[@#][\w.]+")
_CYR = re.compile(r"[\u0400-\u04FF]")
_ANY_LETTER = re.compile(r"[^\W\d_]")
_LAT = re.compile(r"[A-Za-z\u00C0-\u024F]")
_NON_RU_CYR = re.compile(r"[іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅәғқңөұүһҗӣӯҳҷӘҒҚҢӨҰҮҺҖӢӮҲҶ]")
_RU_ONLY = re.compile(r"[ыэёЫЭЁ]")
# Bulgarian writes ъ as a vowel (България, във, държава); Russian only before е ё ю я.
_BG_HARD_SIGN = re.compile(r"ъ(?=[бвгджзйклмнпрстфхцчшщ])|ъ\b", re.IGNORECASE)
# Frequent Bulgarian / Macedonian / Serbian words that are not Russian words ("т. е." is removed first).
_BG_WORDS = re.compile(
    r"(?<![\w-])(?:е|се|са|ще|във|със|това|тази|тези|които|който|която|което|беше|бяха|няма|днес|тя|също|още|"
    r"трябва|защото|когато|какво|къде|нещо|всички|години|най|"  # Bulgarian
    r"од|што|дека|ова|тоа|таа|тие|ги|денес|сите|многу|луѓе|"  # Macedonian
    r"су|данас|као|био|била|смо|сте|веома|шта|према|због|преко|године|после да)(?![\w-])",  # Serbian
    re.IGNORECASE)
_RU_ABBREV = re.compile(r"\bт\.\s?е\.", re.IGNORECASE)
# Long vowels written double (Kyrgyz, Mongolian, Kalmyk), in words that are not capitalised: in
# 3,000 Russian news lines only 7 words have one, nearly all names (Гааге).
_LONG_VOWEL = re.compile(r"(?<!\w)[а-яё]\w*?(?:аа|уу|ээ|ыы)")
_EN_WORDS = frozenset(
    ["the", "of", "and", "to", "in", "is", "for", "on", "with", "that", "by", "as", "at", "from", "this", "are", "was", "be", "it", "an", "has", "have", "will", "not", "we", "our", "their", "its", "which", "were", "been", "said", "he", "she", "they", "his", "her", "after", "over", "about"]
)
_WORD = re.compile(r"[A-Za-z']+")
# Pictographs, flags, dingbats, arrows, shapes, variation selectors, joiners, tag characters.
_SYMBOL = re.compile(
    "[\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u25A0-\u27BF\u2B00-\u2BFF"
    "\uFE00-\uFE0F\u200B-\u200D\u20E3\U000E0000-\U000E007F]+"
)


def strip_markup(text: str) -> str:
    """Remove what carries no language signal: URLs, @mentions, #hashtags, emoji and symbols."""
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    return _SYMBOL.sub(" ", text)


def detect(text: str) -> Lang:
    """Label a text (a line, a paragraph or a whole file) as ``ru``, ``en`` or ``other``.

    Args:
        text: any string; texts over ``SAMPLE_THRESHOLD`` characters are sampled
            in ``SAMPLE_WINDOWS`` evenly spaced windows, so a 10 MB file costs
            about as much as a 20 kB one.
    Returns:
        ``"ru"``, ``"en"`` or ``"other"`` (no letters, another Cyrillic language,
        or another Latin-script language).
    """
    if len(text) > SAMPLE_THRESHOLD:
        text = _sample(text)
    clean = strip_markup(text)
    cyr = len(_CYR.findall(clean))
    lat = len(_LAT.findall(clean))
    if cyr + lat == 0:
        # Only hashtags or mentions had letters: they still show the script.
        bare = _URL.sub(" ", text)
        cyr, lat = len(_CYR.findall(bare)), len(_LAT.findall(bare))
        if cyr + lat == 0:
            return "other"
        return "ru" if cyr >= lat else "en"
    if cyr >= lat:
        return _cyrillic(clean, cyr)
    return _latin(clean, lat)


def _sample(text: str) -> str:
    step = len(text) // SAMPLE_WINDOWS
    parts = []
    for k in range(SAMPLE_WINDOWS):
        start = k * step
        # Start and end on whitespace so no word is cut in half.
        space = text.find(" ", start, start + 50)
        start = space + 1 if space >= 0 else start
        end = text.rfind(" ", start, start + SAMPLE_WINDOW_CHARS)
        parts.append(text[start : end if end > start else start + SAMPLE_WINDOW_CHARS])
    return "\n".join(parts)


def _cyrillic(text: str, n_cyr: int) -> Lang:
    foreign = len(_NON_RU_CYR.findall(text))
    if foreign and foreign >= FOREIGN_SHARE * n_cyr:
        return "other"
    ru_marks = len(_RU_ONLY.findall(text))
    bg_marks = _other_cyrillic_marks(text)
    if ru_marks and not bg_marks:
        return "ru"
    if bg_marks and not ru_marks:
        return "other"
    if n_cyr < MIN_LETTERS_FOR_MODEL and not bg_marks:
        return "ru"
    best = _model_cyrillic(text)
    return "ru" if best == "ru" else "other"


def _other_cyrillic_marks(text: str) -> int:
    """Bulgarian / Macedonian / Serbian words, Bulgarian's vowel ъ and doubled long vowels in ``text``."""
    return (len(_BG_HARD_SIGN.findall(text)) + len(_BG_WORDS.findall(_RU_ABBREV.sub(" ", text)))
            + len(_LONG_VOWEL.findall(text)))


def may_join_block(text: str, lang: str) -> bool:
    """Whether ``text``, labelled ``other``, can belong to a block of ``lang`` it stands inside.

    Russian: some Cyrillic, and no letter or word marking another Cyrillic language
    (``_cyrillic``'s evidence), so a Russian line that quotes a Latin title ("— Да, в «Adrienne
    Lecouvreur»") or that only the statistical detector calls something else qualifies, and a
    Ukrainian line does not. English: letters and no Cyrillic, as in a heading the detector
    missed ("2. Conservative or Bourgeois Socialism").
    """
    if lang == "ru":
        return bool(_CYR.search(text)) and not _NON_RU_CYR.search(text) and not _other_cyrillic_marks(text)
    if lang == "en":
        return bool(_ANY_LETTER.search(text)) and not _CYR.search(text)
    return False


def _latin(text: str, n_lat: int) -> Lang:
    words = [w.lower() for w in _WORD.findall(text)]
    hits = sum(w in _EN_WORDS for w in words)
    if n_lat < MIN_LETTERS_FOR_MODEL or (words and hits / len(words) >= 0.12):
        return "en"
    return "en" if _model_latin(text) == "en" else "other"


@lru_cache(maxsize=1)
def _cyrillic_detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.RUSSIAN, Language.UKRAINIAN, Language.BELARUSIAN, Language.BULGARIAN,
             Language.SERBIAN, Language.MACEDONIAN, Language.KAZAKH, Language.MONGOLIAN, Language.ENGLISH]
    return LanguageDetectorBuilder.from_languages(*langs).build()


@lru_cache(maxsize=1)
def _latin_detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH, Language.ITALIAN,
             Language.PORTUGUESE, Language.DUTCH, Language.POLISH, Language.TURKISH, Language.CROATIAN,
             Language.INDONESIAN]
    return LanguageDetectorBuilder.from_languages(*langs).build()


# The script's main language wins unless the model is fairly sure of another one:
# short Russian lines often score a little Bulgarian or Macedonian.
OTHER_MIN_CONFIDENCE = 0.6
DEFAULT_MAX_CONFIDENCE = 0.3


def _model_says_other(detector, text: str, default: str) -> bool:
    conf = {c.language.name: c.value for c in detector.compute_language_confidence_values(text)}
    best_other = max((v for k, v in conf.items() if k != default), default=0.0)
    return best_other >= OTHER_MIN_CONFIDENCE and conf.get(default, 0.0) <= DEFAULT_MAX_CONFIDENCE


@lru_cache(maxsize=4096)
def _model_cyrillic(text: str) -> str:
    return "other" if _model_says_other(_cyrillic_detector(), text, "RUSSIAN") else "ru"


@lru_cache(maxsize=4096)
def _model_latin(text: str) -> str:
    return "other" if _model_says_other(_latin_detector(), text, "ENGLISH") else "en"


def _has_letters(text: str) -> bool:
    return bool(_CYR.search(text) or _LAT.search(text))


def label_paragraphs(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Label each paragraph; split a paragraph whose lines are in different languages.

    A Telegram post often puts the English and Russian halves on separate
    lines of one paragraph, so such a paragraph becomes one paragraph per
    run of same-language lines (line spans adjusted). Lines without letters
    (dates, numbers) stay with the run before them.

    Args:
        paragraphs: n paragraphs, ``lang`` unset or stale.
    Returns:
        m >= n paragraphs with ``lang`` set, in input order.
    """
    out: list[Paragraph] = []
    for p in paragraphs:
        lines = p.text.split("\n")
        if len(lines) == 1:
            out.append(replace(p, lang=detect(p.text)))
            continue
        labels = [detect(line) if _has_letters(line) else None for line in lines]
        kinds = {lab for lab in labels if lab is not None}
        if len(kinds) <= 1:
            out.append(replace(p, lang=detect(p.text)))
            continue
        out.extend(_split_runs(p, lines, labels))
    return out


def _split_runs(p: Paragraph, lines: list[str], labels: list[Lang | None]) -> list[Paragraph]:
    # Lines without letters join the run before them (the run after, at the start).
    filled: list[Lang] = []
    for lab in labels:
        filled.append(lab if lab is not None else (filled[-1] if filled else None))
    first_known = next(lab for lab in labels if lab is not None)
    filled = [lab if lab is not None else first_known for lab in filled]
    runs: list[tuple[Lang, int, int]] = []  # (lang, first line index, last line index)
    for i, lab in enumerate(filled):
        if runs and lab == runs[-1][0]:
            runs[-1] = (lab, runs[-1][1], i)
        else:
            runs.append((lab, i, i))
    out = []
    for lang, first, last in runs:
        text = "\n".join(lines[first : last + 1]).strip("\n")
        if not text.strip():
            continue
        src: Source = p.source
        if src.line_start:
            src = replace(src, line_start=src.line_start + first, line_end=src.line_start + last)
        out.append(Paragraph(text=text, lang=lang, source=src))
    return out
