"""Bytes to clean text: detect the encoding, then normalise.

Russian text files come in UTF-8 (with or without a BOM), UTF-16 (with or
without a BOM), Windows-1251, KOI8-R and, from old DOS and Mac tools, CP866 and
Mac-Cyrillic. BOMs and valid UTF-8 decide at once. BOM-less UTF-16 shows in the
high bytes (0x00 for ASCII, 0x04 for Cyrillic). For the single-byte encodings
charset-normalizer's guess joins the Cyrillic code pages, and each decoding is
scored for plausibility: Russian letter frequencies, word case patterns ("пРИВЕТ"
is KOI8-R read as Windows-1251), mixed-script words and junk characters. This
is what charset-normalizer alone gets wrong on short Cyrillic texts.

Example:
    >>> decode("Привет, мир!".encode("koi8-r"))
    'Привет, мир!'
"""

from __future__ import annotations

import codecs
import functools
import math
import re
import unicodedata

from aligner.errors import InputError

__all__ = ["LONE_SURROGATE", "SINGLE_BYTE_CANDIDATES", "as_written", "decode", "decode_as_written", "normalise",
           "replace_lone_surrogates"]

# A UTF-16 surrogate on its own (from a bad "\ud800" escape upstream): no UTF-8 writer can encode
# it, and text holding one cannot be hashed for the embedding cache.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, as undecodable bytes of a file are."""
    return LONE_SURROGATE.sub("\ufffd", text)

# Tried for every file that is not UTF-8 or UTF-16, with a prior (nats) for how
# common each is; charset-normalizer's guess is added with OTHER_PRIOR.
SINGLE_BYTE_CANDIDATES = {
    "cp1251": 0.0,
    "koi8_r": -1.0,
    "cp1252": -1.5,
    "mac_cyrillic": -2.0,
    "cp866": -2.0,
    "iso8859_5": -4.0,
}
OTHER_PRIOR = -3.0
# Valid UTF-8 always wins: a single-byte Cyrillic text that is valid UTF-8 by
# chance is only possible for a handful of bytes ("«В" in Mac-Cyrillic).
# A big file that is UTF-8 but for a few bad bytes (one per BAD_UTF8_PER
# multi-byte characters at most) is read as UTF-8 with U+FFFD for them.
BAD_UTF8_PER = 1000
# Bytes scored when choosing among single-byte encodings.
SAMPLE_BYTES = 64 * 1024
# A decoding this implausible (log-likelihood per character) means we could not
# find the encoding: real text scores about -3.5 to -4.5, random bytes -7 to -10.
MIN_PLAUSIBILITY = -6.5
# Share (and least number) of control characters above which the data is binary, not text.
MAX_CONTROL_SHARE = 0.01
MIN_CONTROLS = 8

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt/.epub file)"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)

# ------------------------------------------------------------ normalisation

_DELETE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_NEWLINES = "\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029"
_TABLE = {ord(c): None for c in _DELETE}
_TABLE.update({ord(c): " " for c in _SPACES})
_TABLE.update({ord(c): "\n" for c in _NEWLINES})
# Other C0/C1 controls (DOS end-of-file 0x1A, stray escapes) carry no text.
_TABLE.update(
    {
        c: None
        for c in (
            *range(0x09),
            *range(0x0E, 0x1C),
            0x1F,
            0x7F,
            *range(0x80, 0x85),
            *range(0x86, 0xA0),
        )
    }
)


def normalise(text: str) -> str:
    """NFC; CRLF and CR to LF; Unicode spaces to ' '; zero-width characters, soft hyphens and controls removed.

    Args:
        text: any decoded text.

    Returns:
        The same text in the one form the later stages expect; tabs and line
        breaks are kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.translate(_TABLE))


# what normalise changes character by character: "\r" and every character of _TABLE
_MAPPED = re.compile("[" + re.escape("\r" + "".join(chr(c) for c in sorted(_TABLE))) + "]")


def _normalise_map(text: str) -> tuple[str, list[int], list[int]] | None:
    """:func:`normalise` of ``text`` with, for each of its characters, the span of ``text`` it came from.

    Returns ``(normalised, starts, ends)``, or None where NFC joins characters across a
    starter (never in Russian or English text) and the spans cannot be told.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    for special in _MAPPED.finditer(text):  # runs of other characters map one to one, in bulk
        j = special.start()
        if j < i:  # the "\n" of a "\r\n" already taken
            continue
        out.append(text[i:j]), starts.extend(range(i, j)), ends.extend(range(i + 1, j + 1))
        c = text[j]
        if c == "\r":
            k = 2 if text.startswith("\r\n", j) else 1
            out.append("\n"), starts.append(j), ends.append(j + k)
            i = j + k
            continue
        m = _TABLE[ord(c)]
        if m is not None:
            out.append(m), starts.append(j), ends.append(j + 1)
        i = j + 1
    out.append(text[i:]), starts.extend(range(i, len(text))), ends.extend(range(i + 1, len(text) + 1))
    flat = "".join(out)
    if unicodedata.is_normalized("NFC", flat):
        return flat, starts, ends
    # NFC chunk by chunk: a starter and the combining marks after it
    chunks, cs, ce = [], [], []
    k = 0
    while k < len(flat):
        j = k + 1
        while j < len(flat) and unicodedata.combining(flat[j]):
            j += 1
        piece = unicodedata.normalize("NFC", flat[k:j])
        chunks.append(piece)
        cs += [starts[k]] * len(piece)
        ce += [ends[j - 1]] * len(piece)
        k = j
    joined = "".join(chunks)
    if joined != unicodedata.normalize("NFC", flat):
        return None
    return joined, cs, ce


_CC_BUT_TAB = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # Unicode category Cc, less the tab


def _printable(text: str) -> str:
    """``text`` without control characters (tabs kept): XML and TSV outputs cannot hold them."""
    return _CC_BUT_TAB.sub("", text)


def as_written(original: str, pieces: list[str]) -> list[str]:
    """Each piece of :func:`normalise` (``original``) as ``original`` writes it.

    ``pieces`` are substrings of the normalised text in reading order (sentences); each
    becomes the stretch of ``original`` it came from: zero-width and no-break spaces, soft
    hyphens and decomposed letters as written, control characters still left out, so
    ``normalise(as_written(o, p)[k]) == p[k]``. A piece not found in order is kept as it is.
    """
    if normalise(original) == original:  # nothing to map back: each found piece is written as it is
        return list(pieces)
    return _map_pieces(original, pieces)


def _map_pieces(original: str, pieces: list[str]) -> list[str]:
    """``as_written`` by the character map alone (no shortcut for text normalise leaves as it is)."""
    mapped = _normalise_map(original)
    if mapped is None:
        return list(pieces)
    norm, starts, ends = mapped
    # a sentence of a wrapped text runs over line breaks, its lines joined by spaces
    # (``pipeline.sentences_from_text``): it is found, and written, with a space for each
    flat = norm.replace("\n", " ")
    out, cursor = [], 0
    for piece in pieces:
        at = flat.find(piece, cursor) if piece else -1
        if at < 0:
            out.append(piece)
            continue
        cursor = at + len(piece)
        written = _printable(_LINE_BREAK.sub(" ", original[starts[at] : ends[cursor - 1]]))
        out.append(written if normalise(written) == piece else piece)
    return out


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# ------------------------------------------------------------ plausibility
#
# A decoding is scored by a crude log-likelihood: each character has a
# log-probability by class (Cyrillic letters by their Russian frequency), and
# each word adds a case term, a mixed-script penalty and, for Cyrillic words,
# a bigram term. The bigram tiers are the 100, 120 and 160 most frequent
# Russian letter bigrams of langdetect's Russian profile (Apache-2.0, Nakatani
# Shuyo), which was built from Wikipedia.

# Russian letter frequencies, per cent (national corpus counts, rounded).
_RU_FREQ = {
    "о": 10.97,
    "е": 8.45,
    "а": 8.01,
    "и": 7.35,
    "н": 6.70,
    "т": 6.26,
    "с": 5.47,
    "р": 4.73,
    "в": 4.54,
    "л": 4.40,
    "к": 3.49,
    "м": 3.21,
    "д": 2.98,
    "п": 2.81,
    "у": 2.62,
    "я": 2.01,
    "ы": 1.90,
    "ь": 1.74,
    "г": 1.70,
    "з": 1.65,
    "б": 1.59,
    "ч": 1.44,
    "й": 1.21,
    "х": 0.97,
    "ж": 0.94,
    "ш": 0.73,
    "ю": 0.64,
    "ц": 0.48,
    "щ": 0.36,
    "э": 0.32,
    "ф": 0.26,
    "ъ": 0.04,
    "ё": 0.04,
    # Ukrainian and Belarusian letters, so that those texts are not junk.
    "і": 0.3,
    "ї": 0.05,
    "є": 0.05,
    "ґ": 0.01,
    "ў": 0.05,
}
_LOG_CYR = {c: math.log(0.8 * p / 100) for c, p in _RU_FREQ.items()}
_LOG_RARE_CYR = math.log(0.8 * 0.00005)
_BIGRAM_TIERS = (
    (
        0.8,
        (
            "ст ра на но ни ен ко ан ск ро ов ер ор го од ре то ос та ль ли по ны ри те ол ин пр ал ка во ес ва ки "
            "ом ле ой ел ти он ог ет ве ат ар ий ит ис ме ло нн ия да не от ас ла тр де ав че ая ми со ди ии ед ем "
            "ма ик ие из тв ил им ци об ый ви ич ам аз ру ля до се ак ев за ей нс ек си пе ьн ок ое нт бо же"
        ),
    ),
    (
        0.3,
        (
            "ся ых сс мо их тс ад па сп гр ть ча ир вы дн вн йс ив кт тн хо сл ги бр рн са иц ег га ио кр вл ду оп "
            "ур ту рт пи нд ус оз му ще рс ож ай ах зв зо ез ул ря вс це зи фи ры ап бл ац ые чи бе ид уд иа щи зн "
            "мп ят ку ун сн аб ым ши дс чн ше иг ге др уп ющ ае уч су рм ты еж бы ач лу ке ня ее вр оч рг нц жи зы "
            "жд уг ую зд пу мы нг ип ои кс пл дл св кл аг ба ук ут"
        ),
    ),
    (
        -0.3,
        (
            "фо ца ию жн аю ян ьс гл нк би ну яе уб оя фе ют рв ец еч уз лл эт рк еп ью лю ён гу аж ха ео ыл зе "
            "яз йн вш дв бу еб ык ву жа ыв аи иб тя ау мн уж йо оф ум пп вя ша ща яв нь кв сь рд тк ье ьм зу яб "
            "шт мя ущ ех зм вх ды вт ьш фа ыс хи фр см мм уе ох ям ья аф рх ящ кж рр ьт иж лн оц ср бщ вк оо аш "
            "иф цк еа зр ёр ьз ея яю рь эл ош рб пы дм еш рл ыт лк эк уа лс лы ьк рж мс яд дж ух сы ыш ащ чт лё "
            "ях ял хн ын ьб тл кн кц бн мб ёт ощ хр сх юч цы бъ уш ып эн ещ ъе ху фу км дя пн шк"
        ),
    ),
)
_BIGRAM = {bg: w for w, words in _BIGRAM_TIERS for bg in words.split()}
_BIGRAM_UNSEEN = -1.5
_ONE_LETTER_WORDS = frozenset("авиксоуяж")
_TYPOGRAPHY = frozenset("—–«»“”„…№‘’• ")
_ODD_BEFORE_LETTER = frozenset("—–•†‡‰˜™›‹”’»")
_WORD = re.compile(r"[^\W\d_]+")
# A dash, bullet or closing quote glued to the start of a word, or an opening
# guillemet glued to the end of one: a capital letter of another code page.
_GLUED = re.compile(
    r"(?:^|\s)["
    + re.escape("".join(sorted(_ODD_BEFORE_LETTER)))
    + r"][^\W\d_]|[^\W\d_]«"
)
_LOG_SPACE, _LOG_ASCII, _LOG_ASCII_LETTER = (
    math.log(0.15),
    math.log(0.02),
    math.log(0.01),
)
_LOG_TYPO, _LOG_ACCENTED, _LOG_OTHER_LETTER = (
    math.log(0.002),
    math.log(0.002),
    math.log(0.0002),
)
_LOG_SYMBOL, _LOG_JUNK = math.log(0.00005), math.log(1e-7)


def _is_cyrillic(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


@functools.lru_cache(maxsize=4096)
def _char_logp(c: str) -> float:
    o = ord(c)
    if o < 0x80:
        if c in " \n\t\r":
            return _LOG_SPACE
        if o < 0x20 or o == 0x7F:
            return _LOG_JUNK
        return _LOG_ASCII_LETTER if c.isalpha() else _LOG_ASCII
    if _is_cyrillic(c):
        return _LOG_CYR.get(c.lower(), _LOG_RARE_CYR)
    if c in _TYPOGRAPHY:
        return _LOG_TYPO
    cat = unicodedata.category(c)
    if cat in ("Cc", "Co", "Cn", "Cs") or "\u2500" <= c <= "\u259f":
        return _LOG_JUNK
    if cat[0] == "L":
        return _LOG_ACCENTED if "\u00c0" <= c <= "\u024f" else _LOG_OTHER_LETTER
    return _LOG_SYMBOL


def _word_score(w: str) -> float:
    """Case pattern, mixed scripts and Russian bigrams of one word."""
    if w.islower() or w.lower() == w.upper():  # lower case, or a script without case
        score = 0.0
    elif w[0].isupper() and (len(w) == 1 or w[1:].islower()):
        score = -0.5
    elif w.isupper():
        score = -0.3 * len(w)
    else:
        score = -8.0  # "пРИВЕТ": KOI8-R read as Windows-1251, or the reverse
    low = w.lower()
    cyr = sum(1 for c in low if _is_cyrillic(c))
    if not cyr:
        return score
    if cyr != len(low):
        return score - 5.0
    if len(low) == 1:
        return score if low in _ONE_LETTER_WORDS else score - 3.0
    if low[0] in "ьъы":
        score -= 3.0
    return score + sum(
        _BIGRAM.get(low[i : i + 2], _BIGRAM_UNSEEN) for i in range(len(low) - 1)
    )


def plausibility(text: str) -> float:
    """Log-likelihood of ``text`` under a crude model of Russian/English writing, per character.

    Higher is better; real text scores about -2 to -4, mojibake and binary much lower.
    """
    if not text:
        return 0.0
    total = sum(_char_logp(c) for c in text)
    total += sum(_word_score(w) for w in _WORD.findall(text))
    total -= 5.0 * len(_GLUED.findall(text))
    return total / len(text)


# ------------------------------------------------------------ detection


def _check_magic(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(
                f"this is {what}, not plain text; export or convert it to a UTF-8 .txt file first"
            )


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is 0x00 or 0x04 (ASCII or Cyrillic), else None."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]

    def high_share(part: bytes) -> float:
        return (part.count(0) + part.count(4)) / len(part)

    le, be = high_share(odd), high_share(even)
    if le > 0.6 and be < 0.3:
        return "utf-16-le"
    if be > 0.6 and le < 0.3:
        return "utf-16-be"
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8(data: bytes) -> str | None:
    """UTF-8, tolerating a character cut off at the very end and a rare bad byte in a big file."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        if (
            exc.reason == "unexpected end of data"
            and exc.start >= len(data) - 3
            and not head.isascii()
        ):
            return head.decode("utf-8")
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for c in text if ord(c) > 0x7F) - bad
    if multibyte >= BAD_UTF8_PER and bad <= multibyte // BAD_UTF8_PER:
        return text
    return None


def _charset_normalizer_guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else None


def _single_byte(data: bytes) -> str:
    """Decode with the most plausible of the Cyrillic code pages, cp1252 and charset-normalizer's guess."""
    sample = data[:SAMPLE_BYTES]
    candidates = dict(SINGLE_BYTE_CANDIDATES)
    guess = _charset_normalizer_guess(sample)
    known = {codecs.lookup(c).name for c in candidates}
    if guess and codecs.lookup(guess).name not in known:
        candidates[guess] = OTHER_PRIOR
    scored = []
    for enc, prior in candidates.items():
        text = _try(sample, enc)
        if text is not None:
            per_char = plausibility(text)
            scored.append((per_char * len(text) + prior, per_char, enc))
    scored.sort(key=lambda t: t[0], reverse=True)
    for _, per_char, enc in scored:
        if per_char < MIN_PLAUSIBILITY:
            break
        text = _try(data, enc)
        if text is not None:
            return text
    raise InputError(
        "could not detect the text encoding; convert the file to UTF-8 "
        "(for example: iconv -f CP1251 -t UTF-8 in.txt > out.txt)"
    )


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # below 0x20, not \t \n \v \f \r


def _check_controls(text: str) -> None:
    sample = text[:SAMPLE_BYTES]
    controls = len(_CONTROL.findall(sample))
    if controls >= MIN_CONTROLS and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError(
            "this looks like a binary file (many control characters), not plain text; give a UTF-8 text, "
            "Telegram JSON or HTML file"
        )


def decode(data: bytes) -> str:
    """Detect the encoding of ``data`` and return normalised text.

    Args:
        data: the raw bytes of a text file.

    Returns:
        The decoded text after :func:`normalise`; "" for empty input.

    Raises:
        InputError: binary data (PDF, ZIP, images, NUL bytes, many control
            characters) or an encoding we cannot detect.
    """
    return normalise(decode_as_written(data))


def decode_as_written(data: bytes) -> str:
    """The text of ``data`` as :func:`decode` finds it, before :func:`normalise` (a BOM removed).

    Raises:
        InputError: as :func:`decode`.
    """
    if not data:
        return ""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace")
    _check_magic(data)
    utf16 = _utf16_without_bom(data[:SAMPLE_BYTES])
    if utf16:
        text = _try(data[: len(data) // 2 * 2], utf16)
        if text is not None:
            _check_controls(text)
            return text
    if b"\x00" in data:
        raise InputError(
            "this looks like a binary file (it holds NUL bytes), not plain text; give a UTF-8 text, "
            "Telegram JSON or HTML file"
        )
    text = _utf8(data)
    if text is None:
        text = _single_byte(data)
    _check_controls(text)
    return text
