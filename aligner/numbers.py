"""Numbers of a sentence and the ways a translation may legitimately change them.

The number filter asks "does each side hold a number the other cannot account
for?". A translator changes numbers for good reasons, and each is accounted for:

- separators: "1,418" = "1418" = "1 418", "3,5" = "3.5";
- dates: "09.05.2024" vs "May 9, 2024";
- units converted: "10 inches" vs "25 см", "85 mph" vs "135 км/ч", "90 °F" vs
  "32 °C" (a value within ``TOLERANCE`` of the converted one, or, since
  translators round and sometimes err, any number carrying a unit of the same
  dimension in the other system: "385 miles" vs "620 км");
- clock times: "3 p.m." vs "15:00" / "в 3 часа дня";
- decades: "1930s" vs "30-е годы";
- scale words: "1.5 million" vs "1 500 000";
- spelled-out numbers, English and Russian ("three" vs "3", "пятеро" vs "5"),
  and Roman centuries ("XX век" vs "20th century").

Pure functions over strings, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TOLERANCE = 0.12  # relative difference allowed between a converted and a translated value

# Digits with separators: "1 418" (space / nbsp / thin space thousands), "1,418", "3,5", "09.05.2024".
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+(?:[.,'’]\d+)*")
_SEPARATORS = re.compile(r"[ \u00a0\u202f\u2009.,'’]")
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")

# (regex after the number, dimension, system, factor to the metric unit of that dimension)
# Temperature is handled apart (an offset, not a factor).
_UNITS: tuple[tuple[str, str, str, float], ...] = (
    (r"(?:square |sq\.? )?(?:miles?|mi\b)(?: per hour| an hour)?|mph", "length", "imperial", 1.609344),
    (r"(?:square |sq\.? )?(?:feet|foot|ft\b)|-foot|-feet", "length", "imperial", 0.3048),
    (r"(?:square |sq\.? )?(?:inch(?:es)?|in\.)|-inch|″|\"", "length", "imperial", 2.54),
    (r"(?:square |sq\.? )?yards?|yd\b|-yard", "length", "imperial", 0.9144),
    (r"(?:кв\.? ?)?(?:миль|мил[ия]|мил[еь]|дюйм\w*|фут\w*|ярд\w*)", "length", "imperial", 1.0),
    (r"(?:square |sq\.? )?(?:kilomet(?:er|re)s?|km\b)(?: per hour| an hour)?|km/h|kph|-kilomet\w*", "length", "metric", 1000.0),
    (r"(?:square |sq\.? )?(?:centimet(?:er|re)s?|cm\b)|-centimet\w*", "length", "metric", 0.01),
    (r"(?:square |sq\.? )?(?:millimet(?:er|re)s?|mm\b)", "length", "metric", 0.001),
    (r"(?:square |sq\.? )?(?:met(?:er|re)s?|m\b)|-met(?:er|re)", "length", "metric", 1.0),
    (r"(?:кв\.? ?)?(?:км|километр\w*|см|сантиметр\w*|мм|миллиметр\w*|метр\w*|м\b)", "length", "metric", 1.0),
    (r"acres?|-acre|акр\w*", "area", "imperial", 1.0),
    (r"hectares?|ha\b|гектар\w*|га\b", "area", "metric", 1.0),
    (r"pounds?|lbs?\b|-pound|ounces?|oz\b|фунт\w*|унци\w*", "mass", "imperial", 1.0),
    (r"kilo(?:gram(?:me)?s?)?|kg\b|grams?|g\b|килограм\w*|кг\b|грамм\w*|г\b|тонн\w*|tonnes?|metric tons?", "mass", "metric", 1.0),
    (r"gallons?|quarts?|pints?|галлон\w*|пинт\w*", "volume", "imperial", 1.0),
    (r"lit(?:er|re)s?|l\b|ml\b|литр\w*|л\b|мл\b", "volume", "metric", 1.0),
)
_UNIT_RES = tuple((re.compile(r"[\s-]?(?:" + rx + r")", re.IGNORECASE), dim, sys_, f) for rx, dim, sys_, f in _UNITS)
_FAHRENHEIT = re.compile(r"\s?(?:°\s?F\b|degrees? Fahrenheit|F\b|градус\w* (?:по )?Фаренгейт\w*|° по Фаренгейту)",
                         re.IGNORECASE)
_CELSIUS = re.compile(r"\s?(?:°\s?C\b|degrees? Celsius|C\b|градус\w*|° по Цельсию)", re.IGNORECASE)
_DEGREES = re.compile(r"\s?(?:degrees?|°)", re.IGNORECASE)  # no scale named: either

_AMPM = re.compile(r"\s?([ap])\.?\s?m\.?(?!\w)", re.IGNORECASE)
_RU_PM = re.compile(r"(?::\d\d)?\s(?:час\w*\s)?(дня|вечера|ночи|утра)\b", re.IGNORECASE)
_DECADE_EN = re.compile(r"'?s\b")
_DECADE_RU = re.compile(r"-?(?:е|х|ые|ых)\b", re.IGNORECASE)
_SCALE = (
    (re.compile(r"\s?(?:trillion|трлн|триллион\w*)", re.IGNORECASE), 10**12),
    (re.compile(r"\s?(?:billion|bn\b|млрд|миллиард\w*)", re.IGNORECASE), 10**9),
    (re.compile(r"\s?(?:million|mln\b|m\b|млн|миллион\w*)", re.IGNORECASE), 10**6),
    (re.compile(r"\s?(?:thousand|тыс\.?|тысяч\w*)", re.IGNORECASE), 10**3),
)

_EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 10**6, "billion": 10**9, "dozen": 12, "twice": 2, "double": 2, "triple": 3,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20, "hundredth": 100,
    "once": 1, "thrice": 3, "noon": 12, "midnight": 0,
    "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70, "eighties": 80,
    "nineties": 90, "twenties": 20,
}
# Russian number words by stem; the regex requires a case ending from the listed set.
_RU_STEMS = (
    (r"нол|нул", 0), (r"один|одна|одно|одного|одной|одному|одним|одном|одну|перв\w+", 1),
    (r"дв(?:а|е|ух|ум|умя)|втор(?:ой|ая|ое|ого|ому|ом|ые|ых|ую)|двое|двоих", 2),
    (r"тр(?:и|ех|ём|ем|емя|ёх|ёмя)|трет\w+|трое|троих", 3), (r"четыр\w*|четв[её]рт\w+|четверо|четверых", 4),
    (r"пят(?:ь|и|ью|ый|ого|ом|ая|ой|ое|ые|ых|еро)|пятер\w+", 5),
    (r"шест(?:ь|и|ью|ой|ого|ом|ая|ое|ые|ых|еро)|шестер\w+", 6),
    (r"сем(?:ь|и|ью|ерых|еро)|седьм\w+", 7), (r"вос[еь]м\w*", 8), (r"девят(?:ь|и|ью|ый|ого|ом|ая|ое|ые|ых)", 9),
    (r"десят(?:ь|и|ью|ый|ого|ом|ая|ое|ые|ых|ок|ки|ков)|десяток\w*", 10), (r"одиннадцат\w+", 11),
    (r"двенадцат\w+|дюжин\w*", 12), (r"тринадцат\w+", 13), (r"четырнадцат\w+", 14), (r"пятнадцат\w+", 15),
    (r"шестнадцат\w+", 16), (r"семнадцат\w+", 17), (r"восемнадцат\w+", 18), (r"девятнадцат\w+", 19),
    (r"двадцат\w+", 20), (r"тридцат\w+", 30), (r"сорок\w*", 40), (r"пятьдесят\w*|пятидесят\w+", 50),
    (r"шестьдесят\w*|шестидесят\w+", 60), (r"семьдесят\w*|семидесят\w+", 70), (r"восемьдесят\w*|восьмидесят\w+", 80),
    (r"девяност\w+", 90), (r"ст[оа]|сотн\w+|сотый\w*", 100), (r"тысяч\w*", 1000), (r"миллион\w*", 10**6),
    (r"миллиард\w*", 10**9), (r"дважды|вдвое", 2), (r"трижды|втрое", 3), (r"полдень", 12),
    (r"полночь", 0), (r"двухсот\w*|двести", 200), (r"трист\w+|трехсот\w*|трёхсот\w*", 300),
)
_RU_WORD = re.compile(r"\b(?:" + "|".join(f"(?P<g{k}>{rx})" for k, (rx, _) in enumerate(_RU_STEMS)) + r")\b",
                      re.IGNORECASE)
_EN_WORD = re.compile(r"\b(" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_ROMAN = re.compile(r"\b([IVXLC]{1,6})(?=\s*(?:век|в\.|вв\.|столети|съезд|созыв|квартал|тысячелет))")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


@dataclass
class Mention:
    """One number as written, and everything that would explain it on the other side."""

    joined: str  # digits without separators, leading zeros stripped
    groups: tuple[str, ...]  # digit groups ("09.05.2024" -> 9, 5, 2024)
    must: tuple[str, ...] = ()  # date parts that suffice (day, year)
    alts: set[str] = field(default_factory=set)  # other ways the number may be written
    value: float | None = None
    unit: tuple[str, str] | None = None  # (dimension, system), system "any" when unknown
    converted: tuple[float, ...] = ()  # the value in the other system's units
    factor: float = 1.0  # of the unit, to convert a range's first number ("1 to 4 inches")
    start: int = 0  # offsets of the number in its text
    end: int = 0


def _strip0(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _canon(x: float) -> str:
    """A value as the digits a translation would show ("1500000", "2.5" -> "25" joined like the text)."""
    if abs(x - round(x)) < 1e-9:
        return str(int(round(x)))
    return _strip0(f"{x:.6f}".rstrip("0").replace(".", ""))


def _value(raw: str, lang: str) -> float | None:
    """The number's value: spaces group thousands; "," is decimal in Russian unless it groups 3 digits in English."""
    s = re.sub(r"[ \u00a0\u202f\u2009'’]", "", raw)
    if s.count(".") + s.count(",") > 1 and not re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", s):
        return None  # a date or a version number
    if "," in s:
        s = s.replace(",", "") if (lang == "en" and re.fullmatch(r"\d{1,3}(?:,\d{3})+", s)) else s.replace(",", ".")
    elif lang == "ru" and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _unit_after(text: str, end: int) -> tuple[tuple[str, str], float] | None:
    """(dimension, system) and the factor of the unit written right after a number."""
    rest = text[end:end + 40]
    if _FAHRENHEIT.match(rest):
        return ("temperature", "imperial"), 0.0
    for rx, dim, system, factor in _UNIT_RES:
        m = rx.match(rest)
        if m and m.group().strip():
            return (dim, system), factor
    if _CELSIUS.match(rest):
        return ("temperature", "metric"), 0.0
    if _DEGREES.match(rest):
        return ("temperature", "any"), 0.0
    return None


def _conversions(value: float, unit: tuple[str, str], factor: float) -> tuple[float, ...]:
    """The value in the other system, for the units whose factor we know."""
    dim, system = unit
    if dim == "temperature":
        return ((value - 32) * 5 / 9, value * 9 / 5 + 32)
    if dim == "length" and system == "imperial" and factor != 1.0:
        metres = value * factor
        return (metres, metres / 1000, metres * 100, metres * 1000)
    if dim == "length" and system == "metric" and factor != 1.0:
        metres = value * factor
        return tuple(metres / f for f in (1609.344, 0.3048, 0.0254, 0.9144))
    return ()


def mentions(text: str, lang: str) -> list[Mention]:
    """Every digit number in ``text`` with its alternatives (``lang``: "ru" or "en")."""
    out = []
    chains = _chains(text)
    for m in _NUMBER.finditer(text):
        raw = m.group()
        groups = tuple(g for g in (_strip0(g) for g in _SEPARATORS.split(raw) if g) if g != "0")
        date = _DATE.match(raw)
        must = (_strip0(date.group(1)), _strip0(date.group(3))) if date else ()
        men = Mention(_strip0(_SEPARATORS.sub("", raw)), groups or ("0",), must, value=_value(raw, lang),
                      start=m.start(), end=m.end())
        chain = next((digits for lo, hi, digits in chains if lo <= m.start() < hi), "")
        if chain:
            men.alts.add(chain)
        rest = text[m.end():m.end() + 40]
        v = men.value
        if v is not None:
            unit = _unit_after(text, m.end())
            if unit:
                men.unit, men.factor = unit
                men.converted = _conversions(v, unit[0], unit[1])
            for rx, scale in _SCALE:
                if rx.match(rest):
                    men.alts.add(_canon(v * scale))
            if v == int(v) and 0 <= v <= 24:
                h = int(v)
                ampm = _AMPM.match(text, m.end()) or _AMPM.match(re.sub(r"^:\d\d", "", rest))
                ru_pm = _RU_PM.match(rest) if lang == "ru" else None
                if ampm or ru_pm or (m.end() < len(text) and text[m.end()] == ":"):
                    men.alts.update({str(h % 12), str(h % 12 + 12), str(h)})
            if v == int(v) and 10 <= v < 100 and int(v) % 10 == 0 and _DECADE_RU.match(rest) and lang == "ru":
                men.alts.update({f"19{int(v)}", f"18{int(v)}", f"20{int(v)}"})
            if v == int(v) and 1000 <= v < 2100 and int(v) % 10 == 0 and _DECADE_EN.match(rest):
                men.alts.add(str(int(v) % 100))
            if v == int(v) and 10 <= v < 100 and m.start() > 0 and text[m.start() - 1] in "'’" and _DECADE_EN.match(rest):
                men.alts.update({f"19{int(v)}", f"20{int(v)}"})
            if len(raw) == 2 and m.start() > 0 and text[m.start() - 1] in "-'’":  # "Мисс США-86", "'86"
                men.alts.update({f"19{raw}", f"20{raw}"})
        out.append(men)
    # A range takes the unit of its last number: "1 to 4 inches", "от 2,5 до 10 см", "5–10 см".
    for men, nxt in reversed(list(zip(out, out[1:]))):
        if men.unit is None and nxt.unit is not None and men.value is not None and \
                _RANGE.fullmatch(text[men.end:nxt.start]):
            men.unit, men.factor = nxt.unit, nxt.factor
            men.converted = _conversions(men.value, nxt.unit, nxt.factor)
    return out


_RANGE = re.compile(r"\s*(?:to|or|and|-|–|—|до|или|и|по)\s*", re.IGNORECASE)
# Digits in one run across single spaces, hyphens and brackets: phone numbers, codes ("229 62 01" = "229-6201").
_CHAIN = re.compile(r"\+?\(?\d+\)?(?:[ \u00a0-]\(?\d+\)?)+")


def _chains(text: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each run of numbers long enough (6+ digits) to be read as one code."""
    out = []
    for m in _CHAIN.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 6:
            out.append((m.start(), m.end(), digits))
    return out


def roman_value(s: str) -> int:
    """The value of a Roman numeral of I, V, X, L, C (subtractive pairs read as such)."""
    total = 0
    for a, b in zip(s, s[1:] + " "):
        va, vb = _ROMAN_VALUES[a], _ROMAN_VALUES.get(b, 0)
        total += -va if va < vb else va
    return total


def spelled(text: str, lang: str) -> set[str]:
    """Values of numbers written in words (and Roman centuries), as canonical digit strings."""
    out: set[str] = set()
    if lang == "en":
        words = [_EN_WORDS[w.lower()] for w in _EN_WORD.findall(text)]
        out.update(str(v) for v in words)
        for a, b in re.findall(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|"
                               r"six|seven|eight|nine)\b", text, re.IGNORECASE):
            out.add(str(_EN_WORDS[a.lower()] + _EN_WORDS[b.lower()]))
    else:
        values = []
        for m in _RU_WORD.finditer(text):
            k = int(m.lastgroup[1:])
            values.append(_RU_STEMS[k][1])
        out.update(str(v) for v in values)
        out.update(str(a + b) for a, b in zip(values, values[1:]) if a in range(20, 100, 10) and 0 < b < 10)
    out.update(str(roman_value(r)) for r in _ROMAN.findall(text))
    return out


def _pool(ms: list[Mention], words: set[str]) -> set[str]:
    pool = set(words) | {"0"}
    for m in ms:
        pool.add(m.joined)
        pool.update(m.groups)
        pool.update(m.alts)
    return pool


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1.0)


def _explained(m: Mention, pool: set[str], other: list[Mention], other_values: list[float]) -> bool:
    if m.joined in pool or all(g in pool for g in m.groups) or (m.must and all(p in pool for p in m.must)):
        return True
    if m.alts & pool:
        return True
    if m.value is not None and any(abs(m.value - v) < 1e-9 for v in other_values):  # "7,50 %" = "7.5%"
        return True
    if m.unit:
        dim, system = m.unit
        for o in other:
            if o.unit and o.unit[0] == dim and (o.unit[1] != system or "any" in (system, o.unit[1])):
                return True
        if any(_close(c, v) for c in m.converted for v in other_values):
            return True
    return False


def unexplained(ru: str, en: str) -> tuple[bool, bool]:
    """(ru has a number en cannot account for, en has a number ru cannot account for)."""
    ru_m, en_m = mentions(ru, "ru"), mentions(en, "en")
    ru_words, en_words = spelled(ru, "ru"), spelled(en, "en")
    ru_pool, en_pool = _pool(ru_m, ru_words), _pool(en_m, en_words)
    ru_vals = [m.value for m in ru_m if m.value is not None] + [float(w) for w in ru_words]
    en_vals = [m.value for m in en_m if m.value is not None] + [float(w) for w in en_words]
    ru_bad = any(not _explained(m, en_pool, en_m, en_vals) for m in ru_m)
    en_bad = any(not _explained(m, ru_pool, ru_m, ru_vals) for m in en_m)
    return ru_bad, en_bad


_DIGIT = re.compile(r"\d")  # every digit number (``_NUMBER``) holds one


def changed(ru: str, en: str) -> bool:
    """Each side has a number the other cannot account for: a number was changed, not converted."""
    if not (_DIGIT.search(ru) and _DIGIT.search(en)):  # a side without digit numbers has none unexplained
        return False
    ru_bad, en_bad = unexplained(ru, en)
    return ru_bad and en_bad
