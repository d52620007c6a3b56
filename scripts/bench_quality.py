#!/usr/bin/env python3
"""Alignment quality on ../shared/eval/cases, scored by ../shared/eval/score.py.

Two input modes (``--mode``, default both):
- ``presplit``: the cases' sentence lines (gold indices refer to them);
- ``raw``: end to end from ``ru.raw.txt`` / ``en.raw.txt``, read and split by our own
  pipeline (``aligner.readers.plain.read_text`` and ``pipeline.sentences_from_text``), the
  beads written as text and scored by score.py's ``--text`` rule (each predicted text is
  found in the raw text and mapped to the gold's sentence lines; a text it cannot find is a
  false positive). Text+Berg has no raw text, so its rows are in the pre-split table only.

``--one-line`` (raw mode): every raw document joined into one line first, as WMT24 ships
its documents: no paragraph breaks, so headlines, subheads, labels and datelines run into
the sentences and only the text itself shows where they end.
``--dump`` (raw mode): each case as one mixed document, the Russian raw text, a blank line and
the English one, through the dump path of ``aligner align dump.txt`` (blocks by language, paired,
then aligned; the default ``AlignConfig``, so ``--set`` does not reach it).
``--paragraph-lines`` (raw mode): each paragraph on one line and no blank lines, as a book saved
one paragraph a line: the line breaks stay, the paragraph signal goes. The ``--peer`` reads the
documents in the same layout.
``--wrapped`` (raw mode): each paragraph hard-wrapped at 72 columns, blank lines between them,
as Project Gutenberg and e-mail ship text: line breaks fall inside sentences.

Prints one row per dataset and variant (natural / __pert) with strict P/R/F1,
lax F1, bundle-aware F1, null (1-0/0-1) F1 and sentences per second end to end,
plus micro rows over wmt23+ntrex+flores; a reliability table (calibrated score
bins vs fraction of beads that are exactly a gold link) on the held-out cases;
optionally the same table with each scoring term switched off (``--ablate``);
and the segmenter's boundary agreement with the cases' sentence lines.

The ``bilinguator`` rows are ten books and stories (natural and ``__pert``); their gold is at
paragraph level (book lines), so read bundle F1 there: a gold paragraph counts as found when
our beads inside it cover it and no bead crosses its edge.

Dev split (the only data the calibration is fitted on, see scripts/fit_calibration.py):
``textberg_dev`` plus every 5th document (sorted by id, both variants) of wmt23, ntrex
and flores, and all ten bilinguator books (the issue keeps more books of that source held
out). Everything else is held out. The quality table covers all cases, as the
issue's targets do; textberg_dev is shown on its own row.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_quality.py [--ablate] [--encoder use]
        [--filter REGEX] [--out DIR] [--no-reliability] [--no-segment] [--peer bertalign]
        [--mode presplit|raw|both] [--one-line | --paragraph-lines | --wrapped]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
CASES = SHARED / "eval" / "cases"
# Raw mode: split a lone sentence where its two partners show a boundary (pipeline.align_text_sentences).
PARTNERS = True
# raw mode: every raw document joined into one line (``--one-line``), as WMT24 ships them
ONE_LINE = False
# raw mode: every raw document's paragraphs one a line, no blank lines (``--paragraph-lines``)
PARAGRAPH_LINES = False
# raw mode: every paragraph hard-wrapped at WRAP_COLUMNS, blank lines between (``--wrapped``)
WRAPPED = False
WRAP_COLUMNS = 72
# raw mode: each case as one mixed document, Russian then English (``--dump``)
DUMP = False

GROUPS = ("wmt23", "ntrex", "flores", "bilinguator", "textberg")


def load_score_module():
    """Import ../shared/eval/score.py (standard library only)."""
    spec = importlib.util.spec_from_file_location("eval_score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def case_ids(filter_re: str | None = None) -> list[str]:
    ids = sorted(p.name for p in CASES.iterdir() if (p / "gold.tsv").is_file())
    if filter_re:
        ids = [c for c in ids if re.search(filter_re, c)]
    return ids


def group_of(case_id: str) -> str:
    """Row label: dataset prefix plus variant; textberg_dev is its own row."""
    if case_id == "textberg_dev":
        return "textberg dev"
    prefix = case_id.split("_")[0]
    return f"{prefix} {'__pert' if case_id.endswith('__pert') else 'natural'}"


def is_dev(case_id: str) -> bool:
    """The documented dev split: textberg_dev plus every 5th base document of the other sets."""
    if case_id.startswith("textberg"):
        return case_id == "textberg_dev"
    if case_id.startswith("bilinguator"):
        return True
    base = case_id.removesuffix("__pert")
    prefix = base.split("_")[0]
    bases = sorted({c.removesuffix("__pert") for c in case_ids() if c.split("_")[0] == prefix})
    return bases.index(base) % 5 == 0


def read_case(case_id: str) -> tuple[list[str], list[str], dict]:
    """Sentence lines of both sides (ru/en, or de/fr for textberg) and the meta data."""
    d = CASES / case_id
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    src = (d / meta.get("src", "ru.txt")).read_text(encoding="utf-8").split("\n")
    tgt = (d / meta.get("tgt", "en.txt")).read_text(encoding="utf-8").split("\n")
    n, m = meta.get("n_src"), meta.get("n_tgt")
    src = src[:n] if n is not None else [s for s in src if s.strip()]
    tgt = tgt[:m] if m is not None else [s for s in tgt if s.strip()]
    return src, tgt, meta


def has_raw(case_id: str) -> bool:
    meta = json.loads((CASES / case_id / "meta.json").read_text(encoding="utf-8"))
    return bool(meta.get("src_raw") and meta.get("tgt_raw"))


def read_raw(case_id: str) -> tuple[str, str]:
    """The raw texts of a case, read as the CLI reads a file (encoding, NFC, stray characters)."""
    from aligner.readers.plain import read_text

    d = CASES / case_id
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    return read_text(d / meta["src_raw"]), read_text(d / meta["tgt_raw"])


def split_raw(case_id: str) -> tuple[list[str], list[str], dict]:
    """Our end-to-end sentences of a case's raw text and their paragraph ids, as
    ``aligner align RU EN`` (``pipeline.align_files``) gets them."""
    from aligner.pipeline import paragraph_ids, sentences_from_text

    out, par = [], {}
    for text, lang in zip(read_raw(case_id), ("ru", "en")):
        sents, lines = sentences_from_text(text, lang, False)
        out.append(sents)
        par[f"{lang}_paragraphs"] = paragraph_ids(text, lines, False)
    return out[0], out[1], par


def align_raw(case_id: str, encoder, config, partners: bool | None = None) -> tuple[list[str], list[str], list]:
    """Split and align a case's raw texts as ``aligner align RU EN`` does
    (``pipeline.align_text_sentences``: paragraphs, and the partner splits unless ``partners`` is off;
    the beads quote the files as written, ``pipeline.as_written_beads``)."""
    from aligner.pipeline import align_text_sentences, as_written_beads, sentences_from_text
    from aligner.readers.plain import read_text_as_written

    partners = PARTNERS if partners is None else partners
    d = CASES / case_id
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    (ru_text, ru_written), (en_text, en_written) = (read_text_as_written(d / meta[k]) for k in ("src_raw", "tgt_raw"))
    (ru_text, ru_written), (en_text, en_written) = ((relayout(t), relayout(w)) for t, w in
                                                    ((ru_text, ru_written), (en_text, en_written)))
    texts = ru_text, en_text
    (ru, ru_lines), (en, en_lines) = (sentences_from_text(t, lang, False) for t, lang in zip(texts, ("ru", "en")))
    beads, ru, en, _, _ = align_text_sentences(ru, en, ru_lines, en_lines, *texts, encoder=encoder,
                                               config=config, partners=partners)
    beads, ru, en = as_written_beads(beads, ru, en, ru_written, en_written)
    return ru, en, beads


def align_dump(case_id: str, encoder) -> tuple[list[str], list[str], list]:
    """A case as ``aligner align dump.txt`` reads a mixed document (``--dump``): the Russian raw
    text, a blank line and the English raw text in one file, as the case's files write them
    (no-break and zero-width spaces too), read, cleaned, labelled, its blocks paired and aligned
    (``pipeline.align_document``; the default ``AlignConfig``). Every bead is returned, kept or
    dropped by the filters, as in the other modes."""
    from aligner.errors import InputError
    from aligner.pipeline import PipelineConfig, align_document
    from aligner.readers.plain import read_text_as_written

    d = CASES / case_id
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    ru, en = (relayout(read_text_as_written(d / meta[k])[1]).strip() for k in ("src_raw", "tgt_raw"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{case_id}.txt"
        path.write_text(f"{ru}\n\n{en}\n", encoding="utf-8")
        try:
            result = align_document(path, encoder=encoder, config=PipelineConfig(keep_unaligned=True))
        except InputError as err:  # one language not found: nothing aligned, every gold link missed
            print(f"{case_id}: {err}", file=sys.stderr)
            return [], [], []
    beads = result.all_beads
    return [t for b in beads for t in b.ru_parts], [t for b in beads for t in b.en_parts], beads


def one_line(text: str) -> str:
    """A document joined into one line (``--one-line``): every run of whitespace one space."""
    return " ".join(text.split())


def paragraph_lines(text: str) -> str:
    """A document with each paragraph (blank-line separated) on one line and no blank lines
    (``--paragraph-lines``), as a book saved one paragraph a line comes."""
    return "\n".join(one_line(p) for p in re.split(r"\n\s*\n", text) if p.strip())


def wrapped(text: str) -> str:
    """A document with each paragraph hard-wrapped at ``WRAP_COLUMNS`` and a blank line between
    paragraphs (``--wrapped``), as Project Gutenberg and e-mail ship text."""
    import textwrap

    return "\n\n".join(textwrap.fill(one_line(p), WRAP_COLUMNS, break_long_words=False, break_on_hyphens=False)
                       for p in re.split(r"\n\s*\n", text) if p.strip())


def relayout(text: str) -> str:
    """A raw document in the layout the command line asked for (``--one-line``,
    ``--paragraph-lines``, ``--wrapped``), else as it is."""
    if ONE_LINE:
        return one_line(text)
    if WRAPPED:
        return wrapped(text)
    return paragraph_lines(text) if PARAGRAPH_LINES else text


def write_texts(path: Path, pairs) -> None:
    """One ``ru text<TAB>en text`` line per bead (score.py ``--text``); either side may be empty."""
    clean = lambda t: " ".join(t.split())
    path.write_text("".join(f"{clean(r)}\t{clean(e)}\n" for r, e in pairs), encoding="utf-8")


def write_links(path: Path, links) -> None:
    """One ``ru ids<TAB>en ids[<TAB>extra...]`` line per link, in score.py's format."""
    lines = ["\t".join([",".join(map(str, ru)), ",".join(map(str, en)), *extra]) for ru, en, *extra in links]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_pred(path: Path, beads) -> None:
    write_links(path, ((b.ru_ids, b.en_ids, f"{b.score:.4f}") for b in beads))


def run(ids: list[str], encoder, config, out: Path, raw: bool = False) -> dict[str, dict]:
    """Align every case, write ``out/<case>.tsv``; return per-case beads and timings.

    ``raw``: split the raw texts ourselves (timed too) and write the beads as text.
    """
    from aligner.align import align_sentences

    out.mkdir(parents=True, exist_ok=True)
    res = {}
    for cid in ids:
        t0 = time.perf_counter()
        if raw and DUMP:
            src, tgt, beads = align_dump(cid, encoder)
        elif raw:
            src, tgt, beads = align_raw(cid, encoder, config)
        else:
            src, tgt = read_case(cid)[:2]
            beads = align_sentences(src, tgt, encoder=encoder, config=config)
        dt = time.perf_counter() - t0
        if raw:
            write_texts(out / f"{cid}.tsv", ((b.ru, b.en) for b in beads))
        else:
            write_pred(out / f"{cid}.tsv", beads)
        res[cid] = {"beads": beads, "seconds": dt, "sentences": len(src) + len(tgt)}
    return res


def run_peer(ids: list[str], encoder, out: Path, raw: bool = False) -> dict[str, dict]:
    """The re-implemented Bertalign (``scripts/peer_bertalign.py``) on the same cases and vectors.

    ``raw``: Bertalign splits the raw text itself (``peer_bertalign.split_raw``).
    """
    import peer_bertalign
    from aligner.align import embed_sides

    out.mkdir(parents=True, exist_ok=True)
    res = {}
    for cid in ids:
        t0 = time.perf_counter()
        if raw:
            ru_raw, en_raw = read_raw(cid)
            ru_raw, en_raw = relayout(ru_raw), relayout(en_raw)  # the same layout as ours
            (src, splitter), (tgt, _) = peer_bertalign.split_raw(ru_raw, "ru"), peer_bertalign.split_raw(en_raw, "en")
        else:
            src, tgt, _ = read_case(cid)
        s, t = embed_sides(src, tgt, encoder, 4)
        links = peer_bertalign.align(s, t, peer_bertalign.byte_lengths(src, 4), peer_bertalign.byte_lengths(tgt, 4))
        dt = time.perf_counter() - t0
        if raw:
            write_texts(out / f"{cid}.tsv", ((" ".join(src[i] for i in a), " ".join(tgt[j] for j in b))
                                              for a, b in links))
            res.setdefault("_splitter", splitter)
        else:
            write_links(out / f"{cid}.tsv", links)
        res[cid] = {"seconds": dt, "sentences": len(src) + len(tgt)}
    return res


def score_groups(ids: list[str], pred: Path, results: dict, score, raw: bool = False) -> list[tuple[str, dict, float]]:
    """Micro-averaged scores per row, in table order (``raw``: text predictions, score.py --text)."""
    accs: dict[str, object] = defaultdict(score.Acc)
    speed: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for cid in ids:
        meta = json.loads((CASES / cid / "meta.json").read_text(encoding="utf-8"))
        gold = score.read_alignments(CASES / cid / "gold.tsv")
        unmatched = 0
        if raw:
            test, unmatched = score.text_pred_to_indices(pred / f"{cid}.tsv", CASES / cid, meta)
        else:
            test = score.read_alignments(pred / f"{cid}.tsv")
        g = group_of(cid)
        keys = [g]
        if cid.split("_")[0] in GROUPS[:3]:
            keys.append("wmt23+ntrex+flores " + g.split()[1])
        for k in keys:
            accs[k].add(gold, test, meta.get("n_src"), meta.get("n_tgt"), unmatched)
            speed[k][0] += results[cid]["sentences"]
            speed[k][1] += results[cid]["seconds"]
    order = [f"{p} {v}" for p in GROUPS[:4] for v in ("natural", "__pert")] + [
        "textberg natural", "textberg dev", "wmt23+ntrex+flores __pert", "wmt23+ntrex+flores natural"]
    rows = []
    for k in order:
        if k in accs:
            s, t = speed[k]
            rows.append((k.replace("textberg natural", "textberg test0-6"), accs[k].result(), s / t if t else 0.0))
    return rows


def long_row(ids: list[str], encoder, config, score):
    """All wmt23 and ntrex __pert cases concatenated into one long document pair.

    Above ``full_matrix_cells`` the aligner works in a band (coarse path, anchors), so this
    row is the one where the anchors and the band matter; gold links are shifted by the
    offsets of each case.
    """
    from aligner.align import align_sentences

    parts = [c for c in ids if c.endswith("__pert") and c.split("_")[0] in ("wmt23", "ntrex")]
    if not parts:
        return None
    src, tgt, gold = [], [], []
    for cid in parts:
        s, t, _ = read_case(cid)
        for a, b in score.read_alignments(CASES / cid / "gold.tsv"):
            gold.append((tuple(i + len(src) for i in a), tuple(j + len(tgt) for j in b)))
        src += s
        tgt += t
    t0 = time.perf_counter()
    beads = align_sentences(src, tgt, encoder=encoder, config=config)
    dt = time.perf_counter() - t0
    acc = score.Acc()
    acc.add(gold, [(b.ru_ids, b.en_ids) for b in beads], len(src), len(tgt))
    return (f"long: {len(parts)} cases as 1 doc", acc.result(), (len(src) + len(tgt)) / dt)


def print_table(rows, title: str) -> None:
    f = lambda x: "  n/a" if x is None else f"{x:.3f}"
    print(f"\n{title}")
    print(f"| {'set':28} | {'P':>5} | {'R':>5} | {'F1':>5} | {'laxF1':>5} | {'bundP':>5} | {'bundR':>5} | "
          f"{'bundF1':>6} | {'nullF1':>6} | {'sent/s':>7} |")
    print("|" + "|".join("-" * w for w in (30, 7, 7, 7, 7, 7, 7, 8, 8, 9)) + "|")
    for name, r, sps in rows:
        print(f"| {name:28} | {f(r['precision_strict'])} | {f(r['recall_strict'])} | {f(r['f1_strict'])} | "
              f"{f(r['f1_lax'])} | {f(r['bundle_precision'])} | {f(r['bundle_recall'])} | {f(r['bundle_f1']):>6} | "
              f"{f(r['null_f1']):>6} | {sps:7.0f} |")


def correct_links(gold):
    """Exact gold links, and which gold bundle (n-m link, n, m >= 2) each sentence is in."""
    exact = {(tuple(a), tuple(b)) for a, b in gold}
    bundle_of: dict[tuple[str, int], int] = {}
    for k, (a, b) in enumerate(gold):
        if len(a) >= 2 and len(b) >= 2:
            bundle_of.update({("s", i): k for i in a})
            bundle_of.update({("t", j): k for j in b})
    return exact, bundle_of


def is_correct(ru_ids, en_ids, exact, bundle_of) -> bool:
    """A gold link, or wholly inside one gold bundle (segment-level gold need not be minimal;
    this is score.py's bundle-consistency rule)."""
    if (tuple(ru_ids), tuple(en_ids)) in exact:
        return True
    ks = {bundle_of.get(("s", i), -1 - i) for i in ru_ids} | {bundle_of.get(("t", j), -10**6 - j) for j in en_ids}
    return len(ks) == 1 and next(iter(ks)) >= 0


def reliability(ids: list[str], results: dict, score) -> None:
    """Calibrated score bins vs fraction of correct beads, on the held-out cases only."""
    bins = [0.0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001]
    counts = [[0, 0, 0] for _ in bins[:-1]]
    for cid in ids:
        if is_dev(cid):
            continue
        gold = score.read_alignments(CASES / cid / "gold.tsv")
        exact, bundle_of = correct_links(gold)
        for bead in results[cid]["beads"]:
            if bead.is_null:
                continue
            k = max(i for i, lo in enumerate(bins[:-1]) if bead.score >= lo)
            counts[k][0] += 1
            counts[k][1] += is_correct(bead.ru_ids, bead.en_ids, exact, bundle_of)
            counts[k][2] += (bead.ru_ids, bead.en_ids) in exact
    print("\nReliability on held-out cases (non-null beads). correct = a gold link or inside one gold")
    print("bundle (score.py's bundle rule); exact = exactly a gold link")
    print("| score bin | beads | correct | exact |")
    print("|-----------|-------|---------|-------|")
    for (lo, hi), (n, c, e) in zip(zip(bins[:-1], bins[1:]), counts):
        f = lambda x: f"{x / n:.3f}" if n else "  n/a"
        print(f"| {lo:.2f}-{min(hi, 1.0):.2f} | {n:5d} | {f(c):>7} | {f(e):>5} |")
    sel = [x for lo, x in zip(bins[:-1], counts) if lo >= 0.9]
    n, c, e = (sum(x[i] for x in sel) for i in range(3))
    if n:
        print(f"beads scored >= 0.9: {n}; correct {c / n:.3f} (target >= 0.95); exact {e / n:.3f}")


def segment_agreement() -> None:
    """Boundary agreement of aligner.segment with the cases' sentence lines (ru and en)."""
    try:
        sys.path.insert(0, str(REPO / "scripts"))
        from segment_agreement import boundary_agreement  # written by the segmentation helper
    except ImportError:
        print("\n(segment agreement: scripts/segment_agreement.py not available yet)")
        return
    print("\nSegmentation boundary agreement with the cases' sentence lines (raw text re-split)")
    print("| lang | set | P | R | F1 | identical docs |")
    print("|---|---|---|---|---|---|")
    for lang in ("ru", "en"):
        try:
            res = boundary_agreement(CASES, lang)
        except Exception as exc:  # another helper's script: report, do not crash the benchmark
            print(f"| {lang} | (failed: {exc!r}) |")
            continue
        for name, r in res.items():
            f = lambda k: f"{r[k]:.3f}" if isinstance(r.get(k), (int, float)) else "n/a"
            print(f"| {lang} | {name} | {f('precision')} | {f('recall')} | {f('f1')} | {f('identical')} |")


ABLATIONS = {
    "full model": {},
    "- margin": {"margin": False},
    "- length": {"length": False},
    "- anchors": {"anchors": False},
    "- merge check": {"merge_check": False},
    "- merge length veto": {"merge_check_length": False},
    "- merge spread": {"merge_check_spread": 0.0},
    "- paragraph tail": {"paragraph_tail": 0},
    "- rejoin nulls": {"rejoin_nulls": False},
    "- follow on": {"follow_on": False},
    "- loose runs paired": {"pair_loose_runs": False},
    "- number crossings": {"number_crossings": False},
    "- paren crossings": {"paren_crossings": False},
    "- initial cuts": {"initial_cuts": False},
    "- debris nulls": {"debris_nulls": False},
    "- debris holes": {"debris_holes": False},
    "- edges to nulls": {"edge_to_null": False},
    "- swapped pairs": {"swapped_pairs": False},
    "- crossing pairs": {"crossing_pairs": False},
    "- crossing best-match floor": {"crossing_floor": "quartile"},
    "- folds": {"folds": False},
    "- heading anchors": {"heading_anchors": False},
    "- heading titles": {"heading_titles": False},
    "- cosine blend": {"second_pass": "margin"},
    "- continuation cost": {"continuation_cost": 0.0},
    "- paragraphs": {"paragraph_cost": 0.0},
}


def settings(pairs: list[str]) -> dict:
    """``FIELD=VALUE`` strings as AlignConfig changes (values parsed as Python literals)."""
    from ast import literal_eval

    out = {}
    for pair in pairs:
        field, _, value = pair.partition("=")
        try:
            out[field] = literal_eval(value)
        except (ValueError, SyntaxError):
            out[field] = value
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoder", default="use", help="encoder spec for get_encoder (default: use)")
    ap.add_argument("--filter", help="only cases whose id matches this regex")
    ap.add_argument("--dev", action="store_true", help="only the dev split (is_dev), where defaults are chosen")
    ap.add_argument("--out", help="prediction directory (default: a temporary one)")
    ap.add_argument("--ablate", action="store_true", help="also print the table without each term")
    ap.add_argument("--no-reliability", action="store_true")
    ap.add_argument("--no-segment", action="store_true")
    ap.add_argument("--peer", choices=["bertalign"],
                    help="also score a peer re-implemented in scripts/ (same cases, same cached vectors)")
    ap.add_argument("--no-partners", action="store_true",
                    help="raw mode: no partner splits (a lone sentence split where its two partners show a boundary)")
    layout = ap.add_mutually_exclusive_group()
    layout.add_argument("--one-line", action="store_true",
                    help="raw mode: every raw document joined into one line, as WMT24 ships them "
                         "(no paragraph breaks: headlines and subheads run into the sentences)")
    layout.add_argument("--paragraph-lines", action="store_true",
                    help="raw mode: each paragraph on one line and no blank lines, as a book saved one "
                         "paragraph a line (line breaks, but no paragraph signal)")
    layout.add_argument("--wrapped", action="store_true",
                    help="raw mode: every paragraph hard-wrapped at 72 columns, blank lines between them, "
                         "as Project Gutenberg ships books (line breaks inside sentences)")
    ap.add_argument("--dump", action="store_true",
                    help="raw mode: each case as one mixed document (Russian, a blank line, English) through "
                         "aligner align's dump path: read, clean, label languages, pair blocks, align")
    ap.add_argument("--mode", choices=["presplit", "raw", "both"], default="both",
                    help="pre-split sentence lines, raw text split by each aligner itself, or both (default)")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="change an AlignConfig field for every variant (a sweep: --set paragraph_cost=0.5)")
    a = ap.parse_args()
    global PARTNERS, ONE_LINE, PARAGRAPH_LINES, DUMP, WRAPPED
    PARTNERS = not a.no_partners
    WRAPPED = a.wrapped
    ONE_LINE = a.one_line
    PARAGRAPH_LINES = a.paragraph_lines
    DUMP = a.dump
    if not CASES.is_dir():
        sys.exit(f"no evaluation cases at {CASES}")
    from aligner.align import AlignConfig
    from aligner.encoders import get_encoder

    score = load_score_module()
    encoder = get_encoder(a.encoder, cache=True)
    ids = [c for c in case_ids(a.filter) if is_dev(c) or not a.dev]
    base = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="bench_quality_"))
    variants = ABLATIONS if a.ablate else {"full model": {}}
    modes = ["presplit", "raw"] if a.mode == "both" else [a.mode]
    for mode in modes:
        raw = mode == "raw"
        mids = [c for c in ids if has_raw(c)] if raw else ids
        label = "raw text, split by each aligner" if raw else "pre-split sentence lines"
        if raw and ONE_LINE:
            label += ", each document one line"
        elif raw and PARAGRAPH_LINES:
            label += ", a paragraph a line, no blank lines"
        elif raw and WRAPPED:
            label += f", paragraphs hard-wrapped at {WRAP_COLUMNS} columns"
        if raw and DUMP:
            label += ", each case one mixed document (aligner align dump.txt)"
        for name, changes in variants.items():
            cfg = AlignConfig().with_(**{**settings(a.set), **changes})
            pred = base / mode / re.sub(r"\W+", "_", name).strip("_")
            results = run(mids, encoder, cfg, pred, raw=raw)
            rows = score_groups(mids, pred, results, score, raw=raw)
            extra = None if raw else long_row(mids, encoder, cfg, score)
            if extra is not None:
                rows.append(extra)
            print_table(rows, f"== {name}, {label}  (encoder {a.encoder}, predictions in {pred})")
            if name == "full model" and not raw and not a.no_reliability:
                reliability(mids, results, score)
        if a.peer == "bertalign":
            pred = base / mode / "peer_bertalign"
            results = run_peer(mids, encoder, pred, raw=raw)
            splitter = f"; its sentences by {results.pop('_splitter', 'n/a')}" if raw else ""
            print_table(score_groups(mids, pred, results, score, raw=raw),
                        f"== peer: Bertalign, re-implemented (scripts/peer_bertalign.py{splitter}), {label}  "
                        f"(encoder {a.encoder}, predictions in {pred})")
    if not a.no_segment:
        segment_agreement()


if __name__ == "__main__":
    main()
