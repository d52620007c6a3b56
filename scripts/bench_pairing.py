#!/usr/bin/env python3
"""Score block pairing on ../shared/eval: telegram_sim (a channel export) and docpair/news_ruen (documents).

telegram_sim goes through the same stages as ``aligner align result.json``
(read, clean, label, make_blocks, pair_blocks); a prediction line is
``en_msg_id<TAB>ru_msg_id`` for every English post, the second field empty
when no Russian block was paired with it. For news_ruen every file is one
block (its language is the folder's), from its own file, so there is no
position evidence; a line is ``ru_id<TAB>en_id``. Both are scored with the
shared ``score.py``, whose P/R/F1 lines are printed as they come.

Usage:
    ALIGNER_CACHE_DIR=/work/cache python scripts/bench_pairing.py [--shared ../shared] [--out DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aligner.clean import clean
from aligner.encoders import get_encoder
from aligner.langid import label_paragraphs
from aligner.model import Block, Paragraph, Source
from aligner.pairing import make_blocks, pair_blocks
from aligner.readers import read_paragraphs


def predict_telegram(result_json: Path, encoder) -> list[str]:
    paragraphs = label_paragraphs(clean(read_paragraphs(result_json)).kept)
    blocks = make_blocks(paragraphs)
    pairs = pair_blocks(blocks, encoder=encoder)
    best: dict[str, tuple[float, str]] = {}
    for p in pairs:
        en_id, ru_id = p.en.source.post_id, p.ru.source.post_id
        if en_id not in best or p.score > best[en_id][0]:
            best[en_id] = (p.score, ru_id)
    en_posts = list(dict.fromkeys(b.source.post_id for b in blocks if b.lang == "en"))
    return [f"{en}\t{best[en][1] if en in best else ''}" for en in en_posts]


def predict_docpair(folder: Path, encoder) -> list[str]:
    blocks = []
    for lang in ("ru", "en"):
        for path in sorted((folder / lang).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            src = Source(file=str(path), post_id=path.stem, unit=path.stem)
            paras = tuple(Paragraph(line.strip(), lang, src) for line in text.split("\n") if line.strip())
            if paras:
                blocks.append(Block(id=f"b{len(blocks)}", lang=lang, paragraphs=paras))
    pairs = pair_blocks(blocks, encoder=encoder)
    return [f"{p.ru.source.post_id}\t{p.en.source.post_id}" for p in pairs]


def score(shared: Path, mode: str, gold: Path, pred: Path) -> str:
    cmd = [sys.executable, str(shared / "eval" / "score.py"), f"--{mode}", str(gold), str(pred)]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--out", type=Path, default=None, help="keep the prediction files here")
    ap.add_argument("--encoder", default="use")
    a = ap.parse_args()
    ev = a.shared / "eval"
    if not ev.is_dir():
        print(f"no eval data at {ev}", file=sys.stderr)
        return 2
    out = a.out or Path(tempfile.mkdtemp(prefix="bench_pairing_"))
    out.mkdir(parents=True, exist_ok=True)
    encoder = get_encoder(a.encoder, cache=True)
    rows = []
    for name, mode, gold, predict, src in (
        ("telegram_sim", "telegram", ev / "telegram_sim" / "gold.json", predict_telegram, ev / "telegram_sim" / "result.json"),
        ("news_ruen", "docpair", ev / "docpair" / "news_ruen" / "gold_pairs.tsv", predict_docpair, ev / "docpair" / "news_ruen"),
    ):
        t0 = time.perf_counter()
        lines = predict(src, encoder)
        seconds = time.perf_counter() - t0
        pred = out / f"{name}.pred.tsv"
        pred.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = score(a.shared, mode, gold, pred)
        print(f"== {name} ({seconds:.1f} s)\n{report.rstrip()}")
        first = report.splitlines()[0]
        rows.append((name, first.split(": ", 1)[1]))
    print("\n| set | pairing P / R / F1 |\n|---|---|")
    for name, figures in rows:
        print(f"| {name} | {figures} |")
    print(f"(predictions in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
