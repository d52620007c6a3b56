"""TMX 1.4b, written as a stream so memory stays flat on any number of pairs.

One ``<tu>`` per bead with both sides; a bead with an empty side (1-0 / 0-1)
is skipped, since a TM entry needs a source and a target. The score, the
sentence ids and the provenance go in ``<prop type="x-...">``; run metadata
goes in header props. Text passes through ``clean_text`` (control
characters XML forbids are dropped) and is escaped, so a parser gives back
exactly the cleaned text, carriage returns included.

The source language (``srclang``, and the first ``<tuv>`` of every unit) is
Russian unless ``meta["srclang"]`` is an English tag: a TM for en->ru
translators has English as its source. Language tags may carry a region
(``ru-RU``, ``en-US``), as CAT tools' project settings often do. The
attributes TMX 1.4b defines for history (``creationdate``, ``creationid``,
``changedate``) are set on the header and on every ``<tu>``, all from the one
pinned or current date, so output stays byte-identical when it is pinned.
"""

from __future__ import annotations

import re
from typing import IO, Iterable, Mapping

from aligner.errors import AlignerError
from aligner.model import Bead
from aligner.writers.fields import (
    KNOWN_PROVENANCE,
    TMX_DATE_FORMAT,
    creation_time,
    format_ids,
    format_score,
    meta_items,
)
from aligner.writers.text import clean_text

# Keys of ``meta`` that become header attributes rather than props.
_HEADER_KEYS = ("creationtool", "creationtoolversion", "creationdate", "creationid", "srclang", "adminlang",
                "tgtlang")
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def lang_tag(value: str, lang: str) -> str:
    """Check a language tag (``ru``, ``ru-RU``) names the language ``lang``; return it.

    Raises:
        AlignerError: not a language tag, or a tag of another language.
    """
    tag = value.strip()
    if not _LANG_TAG.match(tag) or tag.split("-")[0].lower() != lang:
        raise AlignerError(f"{value!r} is not a language tag for {lang!r}; use {lang} or a regional tag such as "
                           f"{'ru-RU' if lang == 'ru' else 'en-US'}")
    return tag


def _text(s: str) -> str:
    """Escape element content; CR as a reference, since parsers turn a raw CR into LF."""
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    return s


def _attr(s: str) -> str:
    """Escape an attribute value; whitespace as references, which survive attribute normalisation."""
    s = _text(clean_text(s)).replace('"', "&quot;")
    return s.replace("\t", "&#9;").replace("\n", "&#10;")


def tmx_date(value: object = None) -> str:
    """The creation date in TMX form (``YYYYMMDDThhmmssZ``, UTC); see ``fields.creation_time``.

    Raises:
        AlignerError: the value cannot be read as a date.
    """
    return creation_time(value).strftime(TMX_DATE_FORMAT)


def _prop(kind: str, value: str, indent: str) -> str:
    return f'{indent}<prop type="{_attr("x-" + kind)}">{_text(clean_text(value))}</prop>\n'


def _bead_props(bead: Bead) -> list[tuple[str, str]]:
    props = [
        ("score", format_score(bead.score)),
        ("ru_ids", format_ids(bead.ru_ids)),
        ("en_ids", format_ids(bead.en_ids)),
    ]
    prov = bead.provenance
    keys = [k for k in KNOWN_PROVENANCE if k in prov] + sorted(set(prov).difference(KNOWN_PROVENANCE))
    for key in keys:
        value = prov[key]
        props.append((key, value if isinstance(value, str) else str(value)))
    return [(k, v) for k, v in props if v != ""]


def write_tmx(beads: Iterable[Bead], fh: IO[str], *, meta: Mapping[str, object] | None = None) -> int:
    """Stream beads to ``fh`` as TMX 1.4b.

    Args:
        beads: any iterable; consumed once, one bead at a time.
        fh: a text handle opened with UTF-8 and ``newline="\\n"``.
        meta: run metadata. ``srclang``/``tgtlang`` (default ``ru``/``en``;
            an English ``srclang`` puts English first), ``creationtool``,
            ``creationtoolversion``, ``creationdate`` (also each unit's
            ``changedate``) and ``creationid`` (default ``aligner``) set
            header and unit attributes; every other key becomes a header prop.

    Returns:
        The number of ``<tu>`` written (beads with an empty side are skipped).
    """
    from aligner import __version__

    meta = dict(meta or {})
    srclang = str(meta.get("srclang") or "ru")
    src_is_ru = srclang.split("-")[0].lower() != "en"
    tgtlang = str(meta.get("tgtlang") or ("en" if src_is_ru else "ru"))
    date = tmx_date(meta.get("creationdate"))
    creationid = str(meta.get("creationid") or "aligner")
    header = {
        "creationtool": str(meta.get("creationtool") or "aligner"),
        "creationtoolversion": str(meta.get("creationtoolversion") or meta.get("version") or __version__),
        "segtype": "sentence",
        "o-tmf": "aligner",
        "adminlang": str(meta.get("adminlang") or "en"),
        "srclang": srclang,
        "datatype": "plaintext",
        "creationdate": date,
        "creationid": creationid,
        "changedate": date,
    }
    history = f'creationdate="{date}" creationid="{_attr(creationid)}" changedate="{date}"'
    attrs = " ".join(f'{k}="{_attr(v)}"' for k, v in header.items())
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
    fh.write(f"  <header {attrs}>\n")
    for key, value in meta_items(meta, skip=_HEADER_KEYS):
        fh.write(_prop(key, value, "    "))
    fh.write("  </header>\n  <body>\n")
    n = 0
    for bead in beads:
        ru, en = clean_text(bead.ru), clean_text(bead.en)
        if not ru.strip() or not en.strip():
            continue
        src, tgt = (ru, en) if src_is_ru else (en, ru)
        n += 1
        parts = [f'    <tu tuid="{n}" {history}>\n']
        parts.extend(_prop(k, v, "      ") for k, v in _bead_props(bead))
        parts.append(f'      <tuv xml:lang="{_attr(srclang)}"><seg>{_text(src)}</seg></tuv>\n')
        parts.append(f'      <tuv xml:lang="{_attr(tgtlang)}"><seg>{_text(tgt)}</seg></tuv>\n')
        parts.append("    </tu>\n")
        fh.write("".join(parts))
    fh.write("  </body>\n</tmx>\n")
    return n
