#!/usr/bin/env python3
"""Cold-cache speed of ``aligner align`` on raw documents, against the encoder's own limit.

For each set of raw documents (``ru.raw.txt`` / ``en.raw.txt`` of ../shared/eval/cases),
in one process and with the same encoder and thread count:
- the reference: embed every sentence of both sides once (the segmenter's sentences,
  each distinct sentence of a document once, no cache), which is the least any
  embedding aligner must do;
- the aligner: ``pipeline.align_files`` on the raw files through a fresh, empty
  embedding cache (a temporary directory per run), so everything it needs is embedded.
The two are interleaved document by document, so a change in the machine's load hits
both; with ``--repeat N`` each of the two is timed N times per document (the aligner each
time through a new empty cache) and the fastest time counts, which keeps a busy machine's
load spikes out of the ratio. Then the aligner runs once more on the document through the
cache it just filled, as a new process would (a new cache object, vectors read from the
file): the "warm s" column. Per set it prints sentences (both sides), texts the aligner
embedded per sentence, both times and their ratio (the goal is <= 1.5), the warm time,
and quality: bundle F1 and null F1 of the
raw-text run (``score.py --text``: predicted texts are mapped to the gold's lines) and
strict F1 of the same cases pre-split (``ru.txt`` / ``en.txt``, through
``$ALIGNER_CACHE_DIR`` when set, else the run's cache; quality only, not timed).

``--rev REV`` runs the same measurement on another revision of the aligner (``git
archive REV`` into a temporary directory, imported from there), to compare with the
code before a change; ``--windows all`` switches the current code back to embedding
every window.

Usage:
    nice python scripts/bench_e2e.py [--sets books,news] [--books 3] [--news 12]
        [--encoder use] [--threads 1] [--repeat 1] [--rev REV] [--windows all|selective]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = Path(os.environ.get("BENCH_E2E_TREE", HERE.parent))  # the aligner being measured
sys.path.insert(0, str(TREE))
# an editable install of another checkout (a meta-path finder) must not win over TREE
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__name__.lower()]
SHARED = HERE.parent.parent / "shared"
CASES = SHARED / "eval" / "cases"
# the smallest natural books first, so a small --books still covers prose of several kinds
BOOK_ORDER = ("bilinguator_the_raven", "bilinguator_khameleon", "bilinguator_the_gift_of_the_magi",
              "bilinguator_the_happy_prince", "bilinguator_aptekarsha", "bilinguator_nos",
              "bilinguator_the_canterville_ghost", "bilinguator_manifesto",
              "bilinguator_malchik_u_khrista_na_yolke", "bilinguator_smert_ivana_ilyicha")


def load_score_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_score", SHARED / "eval" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def set_ids(name: str, count: int) -> list[str]:
    """Case ids of a set: ``books`` (natural bilinguator) or ``news`` (every k-th natural wmt23 / ntrex)."""
    if name == "books":
        return [c for c in BOOK_ORDER if (CASES / c / "ru.raw.txt").is_file()][:count]
    if name == "news":
        ids = sorted(p.name for p in CASES.iterdir() if p.name.startswith(("wmt23", "ntrex"))
                     and not p.name.endswith("__pert") and (p / "ru.raw.txt").is_file())
        step = max(1, len(ids) // max(count, 1))
        return ids[::step][:count]
    raise SystemExit(f"bench_e2e: unknown set {name!r}; choose books or news")


def with_threads(encoder, threads: int) -> None:
    """``--threads`` for this encoder (the revision under test may predate ``set_threads``)."""
    try:
        from aligner.encoders.threads import set_threads
    except ImportError:  # older revision: its encoders read ``_threads`` at load
        enc = encoder
        while enc is not None:
            if getattr(enc, "_threads", "absent") is None:
                enc._threads = threads
            enc = getattr(enc, "inner", None)
        return
    set_threads(encoder, threads)


def measure(ids: list[str], args, score, workdir: Path) -> dict:
    """Reference and aligner times over ``ids``, interleaved per document, plus quality."""
    from aligner.encoders import get_encoder
    from aligner.encoders.cache import CachedEncoder, EmbeddingStore
    from aligner.pipeline import PipelineConfig, align_files, sentences_from_text
    from aligner.readers.plain import read_text

    ref = get_encoder(args.encoder, device=args.device, cache=False)
    run = get_encoder(args.encoder, device=args.device, cache=str(workdir / "embeddings.sqlite"))
    for enc in (ref, run):
        with_threads(enc, args.threads)
    ref.encode(["Загрузка модели.", "Model warm-up."])  # load both models before timing
    getattr(run, "inner", run).encode(["Загрузка модели.", "Model warm-up."])
    config = PipelineConfig(encoder=args.encoder, device=args.device, keep_unaligned=True)
    if args.windows:
        from aligner.align import AlignConfig

        import aligner.align as align_pkg

        base = align_pkg.align_sentences  # the pipeline calls it with no config: pin the strategy here
        align_pkg.align_sentences = lambda r, e, **kw: base(r, e, config=AlignConfig(windows=args.windows), **kw)
    acc = score.Acc()
    row = {"docs": len(ids), "sentences": 0, "embedded": 0, "seconds": 0.0, "ref_seconds": 0.0, "warm_seconds": 0.0}
    inner = getattr(run, "inner", run)
    for cid in ids:
        d = CASES / cid
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        ru_text, en_text = read_text(d / "ru.raw.txt"), read_text(d / "en.raw.txt")
        sents = {t for text, lang in ((ru_text, "ru"), (en_text, "en"))
                 for t in sentences_from_text(text, lang, False)[0]}
        best_ref = best_run = float("inf")
        for r in range(args.repeat):
            t0 = time.perf_counter()
            ref.encode(sorted(sents))
            best_ref = min(best_ref, time.perf_counter() - t0)
            store = workdir / f"{cid}.{r}.sqlite"
            cold = CachedEncoder(inner, EmbeddingStore(store))
            t0 = time.perf_counter()
            result = align_files(d / "ru.raw.txt", d / "en.raw.txt", encoder=cold, config=config)
            best_run = min(best_run, time.perf_counter() - t0)
        row["ref_seconds"] += best_ref
        row["seconds"] += best_run
        row["embedded"] += cold.embedded
        warm = CachedEncoder(inner, EmbeddingStore(store))  # a new process's view: vectors from the file
        t0 = time.perf_counter()
        again = align_files(d / "ru.raw.txt", d / "en.raw.txt", encoder=warm, config=config)
        row["warm_seconds"] += time.perf_counter() - t0
        if warm.embedded or [(b.ru_ids, b.en_ids) for b in again.beads] != [(b.ru_ids, b.en_ids) for b in result.beads]:
            raise SystemExit(f"bench_e2e: the warm run of {cid} embedded {warm.embedded} texts or took another path")
        row["sentences"] += len(result.ru_sentences) + len(result.en_sentences)
        beads = list(result.beads) + [x.bead for x in result.dropped if x.bead is not None]
        beads.sort(key=lambda b: (min(b.ru_ids, default=1e9), min(b.en_ids, default=1e9)))
        pred = workdir / f"{cid}.tsv"
        pred.write_text("".join(f"{b.ru.replace(chr(9), ' ')}\t{b.en.replace(chr(9), ' ')}\n" for b in beads),
                        encoding="utf-8")
        test, placeholders = score.text_pred_to_indices(str(pred), str(d), meta)
        acc.add(score.read_alignments(str(d / "gold.tsv")), test, meta.get("n_src"), meta.get("n_tgt"), placeholders)
    res = acc.result()
    row["bundle_f1"], row["null_f1"] = res["bundle_f1"], res["null_f1"]
    row["strict_f1_presplit"] = presplit_f1(ids, args, score, workdir)
    return row


def presplit_f1(ids: list[str], args, score, workdir: Path) -> float:
    """Strict F1 of the same cases given pre-split (quality only; a warm shared cache makes it quick)."""
    from aligner.align import align_sentences
    from aligner.encoders import get_encoder

    cache = os.environ.get("ALIGNER_CACHE_DIR")
    enc = get_encoder(args.encoder, device=args.device,
                      cache=str(Path(cache) / "embeddings.sqlite") if cache else str(workdir / "embeddings.sqlite"))
    with_threads(enc, args.threads)
    acc = score.Acc()
    for cid in ids:
        d = CASES / cid
        meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
        src = (d / "ru.txt").read_text(encoding="utf-8").split("\n")[: meta.get("n_src")]
        tgt = (d / "en.txt").read_text(encoding="utf-8").split("\n")[: meta.get("n_tgt")]
        beads = align_sentences(src, tgt, encoder=enc)
        acc.add(score.read_alignments(str(d / "gold.tsv")), [(b.ru_ids, b.en_ids) for b in beads],
                meta.get("n_src"), meta.get("n_tgt"))
    return acc.result()["f1_strict"]


def print_rows(rows: list[tuple[str, dict]], label: str) -> None:
    f = lambda x: "  n/a" if x is None else f"{x:.3f}"
    print(f"\n{label}")
    print("| set | docs | sentences | texts/sent | aligner s | embed-once s | ratio | warm s | bundle F1 raw "
          "| null F1 raw | strict F1 pre-split |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        print(f"| {name} | {r['docs']} | {r['sentences']} | {r['embedded'] / max(r['sentences'], 1):.2f} | "
              f"{r['seconds']:.1f} | {r['ref_seconds']:.1f} | {r['seconds'] / max(r['ref_seconds'], 1e-9):.2f} | "
              f"{r['warm_seconds']:.2f} | "
              f"{f(r['bundle_f1'])} | {f(r['null_f1'])} | {f(r['strict_f1_presplit'])} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="books,news", help="comma-separated: books, news")
    ap.add_argument("--books", type=int, default=3, help="natural bilinguator books, smallest first (10 in all)")
    ap.add_argument("--news", type=int, default=12, help="natural wmt23/ntrex documents, evenly sampled")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=1, help="encoder threads, the same for both timings (0: auto)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="time each document N times (cold each time) and keep the fastest of each timing")
    ap.add_argument("--windows", choices=["selective", "all"], help="pin AlignConfig.windows (current code only)")
    ap.add_argument("--rev", help="measure this git revision of the aligner instead of the working tree")
    args = ap.parse_args()
    if not CASES.is_dir():
        print(f"bench_e2e: {CASES} not found (needs ../shared/eval)", file=sys.stderr)
        return 2
    if args.rev:
        with tempfile.TemporaryDirectory(prefix="bench_e2e_rev_") as tree:
            archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", args.rev], check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
            argv = [a for a in sys.argv[1:]]
            i = argv.index("--rev")
            del argv[i : i + 2]
            env = {**os.environ, "BENCH_E2E_TREE": tree, "BENCH_E2E_LABEL": f"revision {args.rev}",
                   "PYTHONPATH": tree}
            return subprocess.run([sys.executable, __file__, *argv], env=env).returncode
    import aligner

    if not Path(aligner.__file__).resolve().is_relative_to(TREE.resolve()):
        raise SystemExit(f"bench_e2e: imported {aligner.__file__}, not the tree under test {TREE}")
    score = load_score_module()
    label = os.environ.get("BENCH_E2E_LABEL", "working tree") + (f", windows={args.windows}" if args.windows else "")
    rows = []
    for name in args.sets.split(","):
        ids = set_ids(name, args.books if name == "books" else args.news)
        with tempfile.TemporaryDirectory(prefix="bench_e2e_") as work:
            rows.append((name, measure(ids, args, score, Path(work))))
        print(f"bench_e2e: {name} done", file=sys.stderr, flush=True)
    print_rows(rows, f"cold cache, encoder {args.encoder}, {args.threads} thread(s), best of {args.repeat}, {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
