"""A self-contained HTML review report: one file, no external URLs.

The two texts side by side, one row per bead in document order, each row
coloured by its score (red 0 -> green 1); filtered beads and unaligned
sentences are marked with their reason; what the cleaner removed before
alignment is listed at the end. The summary has the run counters and two
inline SVG charts: the score histogram and the counts by reason. A small
inline script filters the rows (kept / dropped / reason / minimum score),
also from the URL: ``report.html#min=0.5&reason=numbers&kept=0``.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import Counter
from typing import Iterable

from aligner.model import AlignmentResult, Bead, Dropped
from aligner.writers.text import clean_text

BINS = 10


def _e(text: object) -> str:
    """Escape for HTML text and attribute values, after dropping control characters."""
    return html.escape(clean_text(str(text)), quote=True)


def score_color(score: float, lightness: int = 82) -> str:
    """Red (0) through yellow to green (1), as a CSS colour."""
    s = min(1.0, max(0.0, score if math.isfinite(score) else 0.0))
    return f"hsl({round(120 * s)}, 70%, {lightness}%)"


# --- ordering ----------------------------------------------------------------------


def _first_int(span: str) -> float:
    m = re.match(r"\s*(\d+)", span or "")
    return int(m.group(1)) if m else math.inf


def _group_key(bead: Bead) -> tuple:
    p = bead.provenance
    if "ru_file" in p:  # two files: one document, though each bead has lines of its own
        return (p.get("doc", ""), "", "", "", "")
    return (
        p.get("doc", ""),
        p.get("ru_lines", ""),
        p.get("en_lines", ""),
        p.get("ru_msg_id", ""),
        p.get("en_msg_id", ""),
    )


def _merge_monotone(beads: list[tuple[Bead, Dropped | None]]) -> list[tuple[Bead, Dropped | None]]:
    """Document order for one aligned pair from the ids alone (a result without ``all_beads``):
    beads with a Russian side by their first Russian id, with English-only beads slotted in
    before the first bead that starts after them on the English side. A crossing pair's
    English id is out of order (``AlignConfig.crossing_pairs``), so it places nothing."""
    with_ru = sorted((x for x in beads if x[0].ru_ids), key=lambda x: (x[0].ru_ids[0], x[0].en_ids[:1]))
    en_only = sorted((x for x in beads if not x[0].ru_ids), key=lambda x: x[0].en_ids[:1])
    out: list[tuple[Bead, Dropped | None]] = []
    j = 0
    for item in with_ru:
        if item[0].en_ids and item[0].features.get("crossing") != 1.0:
            while j < len(en_only) and en_only[j][0].en_ids[:1] and en_only[j][0].en_ids[0] < item[0].en_ids[0]:
                out.append(en_only[j])
                j += 1
        out.append(item)
    out.extend(en_only[j:])
    return out


def ordered_rows(result: AlignmentResult) -> list[tuple[Bead, Dropped | None]]:
    """Kept and filtered beads together, in document order (pair by pair).

    Within a pair, the aligner's own order (``result.all_beads``, as the JSONL holds it) where
    every bead is found there, else the order of the ids (``_merge_monotone``).
    """
    items: list[tuple[Bead, Dropped | None]] = [(b, None) for b in result.beads]
    items += [(d.bead, d) for d in result.dropped if d.bead is not None]
    place = _places(result)
    groups: dict[tuple, list] = {}
    for item in items:
        groups.setdefault(_group_key(item[0]), []).append(item)
    first_seen = {key: i for i, key in enumerate(groups)}
    order = sorted(groups, key=lambda k: (k[0], _first_int(k[1]), _first_int(k[2]), first_seen[k]))
    rows: list[tuple[Bead, Dropped | None]] = []
    for key in order:
        group = groups[key]
        if all(id(b) in place for b, _ in group):
            rows.extend(sorted(group, key=lambda x: place[id(x[0])]))
        else:
            rows.extend(_merge_monotone(group))
    return rows


def _places(result: AlignmentResult) -> dict[int, int]:
    """``id(bead)`` -> its index in ``result.all_beads``, for the kept beads (the filters' copies,
    in the same order as the beads they kept) and the dropped ones; empty when they do not match."""
    if not result.all_beads:
        return {}
    dropped = {id(d.bead) for d in result.dropped if d.bead is not None}
    kept_at = [k for k, b in enumerate(result.all_beads) if id(b) not in dropped]
    if len(kept_at) != len(result.beads):
        return {}
    place = {id(b): k for k, b in enumerate(result.all_beads) if id(b) in dropped}
    place.update((id(b), k) for b, k in zip(result.beads, kept_at))
    return place


# --- charts -------------------------------------------------------------------------


def _histogram_svg(rows: list[tuple[Bead, Dropped | None]]) -> str:
    kept = [0] * BINS
    dropped = [0] * BINS
    for bead, drop in rows:
        if bead.is_null or not math.isfinite(bead.score):
            continue
        i = min(BINS - 1, max(0, int(bead.score * BINS)))
        (dropped if drop else kept)[i] += 1
    w, h, pad, bw = 440, 180, 28, 38
    top = max([k + d for k, d in zip(kept, dropped)] + [1])
    parts = [
        f'<svg class="chart" id="histogram" role="img" aria-label="score histogram" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - 4}" y2="{h - pad}" stroke="#555"/>',
    ]
    for i in range(BINS):
        x = pad + 4 + i * (bw + 2)
        hk = (h - 2 * pad) * kept[i] / top
        hd = (h - 2 * pad) * dropped[i] / top
        y = h - pad - hk
        parts.append(
            f'<rect class="bar kept" x="{x}" y="{y:.1f}" width="{bw}" height="{hk:.1f}" '
            f'fill="{score_color((i + 0.5) / BINS, 55)}"><title>{i / BINS:.1f}-{(i + 1) / BINS:.1f}: '
            f"{kept[i]} kept</title></rect>"
        )
        parts.append(
            f'<rect class="bar dropped" x="{x}" y="{y - hd:.1f}" width="{bw}" height="{hd:.1f}" '
            f'fill="#9a9a9a"><title>{i / BINS:.1f}-{(i + 1) / BINS:.1f}: {dropped[i]} filtered</title></rect>'
        )
        if kept[i] + dropped[i]:
            parts.append(
                f'<text x="{x + bw / 2}" y="{y - hd - 3:.1f}" text-anchor="middle">{kept[i] + dropped[i]}</text>'
            )
        if i % 2 == 0:
            parts.append(f'<text x="{x}" y="{h - pad + 14}">{i / BINS:.1f}</text>')
    parts.append(f'<text x="{w - 30}" y="{h - pad + 14}">1.0</text>')
    parts.append(f'<text x="{pad}" y="14">beads by score (grey: filtered)</text></svg>')
    return "".join(parts)


def reason_counts(result: AlignmentResult) -> Counter:
    counts = Counter(d.reason for d in result.dropped)
    for reason, n in result.stats.dropped.items():
        counts[reason] = max(counts[reason], n)
    return counts


def _reasons_svg(counts: Counter) -> str:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    w, row = 440, 22
    h = max(1, len(items)) * row + 30
    top = max([n for _, n in items] + [1])
    parts = [
        f'<svg class="chart" id="reasons" role="img" aria-label="counts by filter reason" width="{w}" '
        f'height="{h}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">',
        '<text x="4" y="14">dropped by reason</text>',
    ]
    if not items:
        parts.append('<text x="4" y="40">nothing was dropped</text>')
    for i, (reason, n) in enumerate(items):
        y = 24 + i * row
        bw = (w - 190) * n / top
        parts.append(f'<text x="4" y="{y + 14}">{_e(reason)}</text>')
        parts.append(
            f'<rect class="bar reason" x="130" y="{y + 2}" width="{bw:.1f}" height="{row - 6}" '
            f'fill="#c0504d"><title>{_e(reason)}: {n}</title></rect>'
        )
        parts.append(f'<text x="{134 + bw:.1f}" y="{y + 14}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- page ---------------------------------------------------------------------------

_CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:18px 0 6px}
.summary{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
table.stats td{padding:1px 10px 1px 0}table.stats td.v{text-align:right;font-variant-numeric:tabular-nums}
.chart{border:1px solid #ddd;background:#fafafa}.chart text{font-size:11px;fill:#333}
.controls{margin:10px 0;padding:6px;background:#f3f3f3;border-radius:4px}
.controls label{margin-right:12px}
table.beads{border-collapse:collapse;width:100%;table-layout:fixed}
table.beads th{position:sticky;top:0;background:#eee;text-align:left;padding:4px;border-bottom:2px solid #bbb}
table.beads td{padding:4px 6px;vertical-align:top;border-bottom:1px solid #e4e4e4;word-wrap:break-word}
col.n{width:3.5em}col.s{width:4.5em}col.st{width:9em}
tr.bead td.text{background:var(--c)}
tr.dropped td.text{background:repeating-linear-gradient(135deg,#f1f1f1 0 8px,#e6e6e6 8px 16px);color:#666}
tr.dropped td.text span.t{text-decoration:line-through;text-decoration-color:#b55}
td.score{font-variant-numeric:tabular-nums;text-align:right}
td.score span{display:inline-block;min-width:3.2em;padding:0 3px;border-radius:3px;background:var(--c)}
.ids{display:block;font-size:10px;color:#777}
.none{color:#999;font-style:italic}
.reason{display:inline-block;padding:0 6px;border-radius:9px;background:#c0504d;color:#fff;font-size:12px}
.ok{color:#2a7a2a}
.legend span{display:inline-block;width:18px;height:12px;vertical-align:middle}
tr.hidden{display:none}
ul.removed li{margin:2px 0}
"""

_JS = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('tr.bead'));
  var kept=document.getElementById('show-kept'),dropped=document.getElementById('show-dropped');
  var reason=document.getElementById('reason'),minScore=document.getElementById('min-score');
  var shown=document.getElementById('shown'),minLabel=document.getElementById('min-score-value');
  function update(){
    var n=0,m=parseFloat(minScore.value);minLabel.textContent=m.toFixed(2);
    rows.forEach(function(r){
      var isDrop=r.classList.contains('dropped'),rs=r.getAttribute('data-reason');
      var ok=(isDrop?dropped.checked:kept.checked)&&(!reason.value||rs===reason.value)
        &&parseFloat(r.getAttribute('data-score'))>=m;
      r.classList.toggle('hidden',!ok);if(ok){n++;}
    });
    shown.textContent=String(n);
  }
  [kept,dropped,reason,minScore].forEach(function(el){el.addEventListener('input',update);el.addEventListener('change',update);});
  // Initial filter from the URL, e.g. report.html#min=0.5&reason=numbers&kept=0 (shareable views).
  location.hash.replace(/^#/,'').split('&').forEach(function(kv){
    var p=kv.split('='),v=decodeURIComponent(p[1]||'');
    if(p[0]==='min'){minScore.value=v;}else if(p[0]==='reason'){reason.value=v;}
    else if(p[0]==='kept'){kept.checked=v!=='0';}else if(p[0]==='dropped'){dropped.checked=v!=='0';}
  });
  update();
  document.body.setAttribute('data-ready','1');
})();
"""


def _side(text: str, ids: tuple[int, ...], lang: str) -> str:
    label = f'<span class="ids">{lang} {",".join(map(str, ids))}</span>' if ids else ""
    if not text.strip():
        return f'{label}<span class="none">no counterpart</span>'
    return f'{label}<span class="t" lang="{lang}">{_e(text)}</span>'


def _row(n: int, bead: Bead, drop: Dropped | None) -> str:
    score = bead.score if math.isfinite(bead.score) else 0.0
    if drop is not None:
        status, cls, reason = f'<span class="reason">{_e(drop.reason)}</span>', "bead dropped", drop.reason
    elif bead.is_null:
        status, cls, reason = '<span class="ok">kept</span> (unaligned)', "bead kept null", ""
    else:
        status, cls, reason = '<span class="ok">kept</span>', "bead kept", ""
    return (
        f'<tr class="{cls}" data-score="{score:.4f}" data-reason="{_e(reason)}" '
        f'style="--c:{score_color(score)}"><td class="n">{n}</td>'
        f'<td class="score"><span>{score:.2f}</span></td>'
        f'<td class="text ru">{_side(bead.ru, bead.ru_ids, "ru")}</td>'
        f'<td class="text en">{_side(bead.en, bead.en_ids, "en")}</td><td class="status">{status}</td></tr>'
    )


def _stats_table(result: AlignmentResult, rows: list, counts: Counter, timed: bool = True) -> str:
    s = result.stats
    items = [
        ("inputs", s.inputs),
        ("paragraphs", s.paragraphs),
        ("blocks ru / en", f"{s.blocks_ru} / {s.blocks_en}"),
        ("block pairs", s.block_pairs),
        (
            "sentences ru / en",
            f"{s.sentences_ru or len(result.ru_sentences)} / {s.sentences_en or len(result.en_sentences)}",
        ),
        ("beads", s.beads or len(rows)),
        ("beads kept", len(result.beads)),
        ("dropped (all reasons)", sum(counts.values())),
        ("time", f"{s.seconds:.1f} s"),
    ]
    if not timed:  # wall time differs on every run; a pinned report must not
        items = [(k, v) for k, v in items if k != "time"]
    # Document-only counters (paragraphs, blocks) are hidden for a pair of files.
    optional = {"paragraphs", "blocks ru / en", "block pairs"}
    items = [(k, v) for k, v in items if k not in optional or v not in (0, "0 / 0")]
    body = "".join(f'<tr><td>{_e(k)}</td><td class="v">{_e(v)}</td></tr>' for k, v in items)
    return f'<table class="stats" id="stats">{body}</table>'


def _removed(dropped: Iterable[Dropped]) -> str:
    items = [d for d in dropped if d.bead is None]
    if not items:
        return ""
    lis = []
    for d in items:
        where = ""
        if d.source is not None and d.source.line_start:
            where = f' <span class="ids">{_e(os.path.basename(d.source.file))}:{d.source.line_start}</span>'
        lis.append(f'<li><span class="reason">{_e(d.reason)}</span> {_e(d.text)}{where}</li>')
    # Long lists start folded so the aligned text stays the first thing one reads.
    state = " open" if len(items) <= 50 else ""
    return (
        f'<details{state}><summary><h2 style="display:inline">Removed before alignment ({len(items)})</h2>'
        f'</summary><ul class="removed" id="removed">' + "".join(lis) + "</ul></details>"
    )


def render_report(result: AlignmentResult, title: str = "aligner review report", *,
                  deterministic: bool = False) -> str:
    """Render ``result`` as one self-contained HTML page (inline CSS, JS and SVG).

    Args:
        result: the pipeline's output; ``beads`` are the kept beads and
            ``dropped`` holds filtered beads (``.bead`` set) and cleaning drops.
        title: the page title.
        deterministic: leave out the wall time, so reruns give the same bytes.

    Returns:
        The HTML document as a string; every piece of input text is escaped.
    """
    rows = ordered_rows(result)
    counts = reason_counts(result)
    reasons = sorted({d.reason for _, d in rows if d is not None})
    options = "".join(f'<option value="{_e(r)}">{_e(r)}</option>' for r in reasons)
    legend = "".join(f'<span style="background:{score_color(i / 4)}"></span>' for i in range(5))
    body_rows = "".join(_row(i + 1, bead, drop) for i, (bead, drop) in enumerate(rows))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body data-ready="0">
<h1>{_e(title)}</h1>
<div class="summary">{_stats_table(result, rows, counts, timed=not deterministic)}{_histogram_svg(rows)}{_reasons_svg(counts)}</div>
<div class="controls">
<label><input type="checkbox" id="show-kept" checked> kept</label>
<label><input type="checkbox" id="show-dropped" checked> filtered</label>
<label>reason <select id="reason"><option value="">any</option>{options}</select></label>
<label>min score <input type="range" id="min-score" min="0" max="1" step="0.05" value="0">
<span id="min-score-value">0.00</span></label>
<span>rows shown: <b id="shown"></b> of {len(rows)}</span>
<span class="legend">score 0 {legend} 1</span>
</div>
<table class="beads" id="beads"><colgroup><col class="n"><col class="s"><col><col><col class="st"></colgroup>
<thead><tr><th>#</th><th>score</th><th>Русский</th><th>English</th><th>status</th></tr></thead>
<tbody>{body_rows}</tbody></table>
{_removed(result.dropped)}
<script>{_JS}</script>
</body></html>
"""


def write_report(result: AlignmentResult, path: str | os.PathLike, *, force: bool = False,
                 deterministic: bool = False) -> None:
    """Render and write the report atomically (refuses to overwrite without ``force``).

    ``deterministic`` (``--deterministic`` or SOURCE_DATE_EPOCH): no wall time in the page.
    """
    from aligner.writers.atomic import atomic_write_text

    atomic_write_text(path, render_report(result, deterministic=deterministic), force=force)
