"""Fault injection for `aligner batch`: SIGKILL it at random moments and check that nothing is lost or left.

Builds a 20-input folder from the texts in corpora/ (4 file pairs, 16 dumps), runs one clean
batch, then, for each of --kills seeded random moments, starts a fresh batch (its stdout piped into
`tail`, as a user would), SIGKILLs the aligner process at that moment and checks:

- no process of the killed batch (its workers included) is alive 2 s later, and `tail` has exited
  (nothing holds the pipe open);
- a rerun of the same command finishes with exit 0;
- every output is byte-identical to the clean run's;
- no temporary `.part` file is left in OUTDIR.

Each trial uses its own OUTDIR and a cold embedding cache, so kills land in model loading,
embedding, alignment or writing. Prints one table row per kill.

    python scripts/fault_inject_batch.py --seed 12 --kills 5
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_inputs(folder: Path) -> int:
    """4 lighthouse file pairs, 15 mixed dumps made of its paragraphs (each in a different order,
    Russian paragraph then its English one) and the whole channel dump: 20 inputs."""
    corpora = REPO / "corpora"
    ru = (corpora / "lighthouse_ru.txt").read_text(encoding="utf-8")
    en = (corpora / "lighthouse_en.txt").read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    for i in range(4):
        (folder / f"light{i}_ru.txt").write_text(f"Часть номер {i + 1}.\n\n{ru}", encoding="utf-8")
        (folder / f"light{i}_en.txt").write_text(f"Part number {i + 1}.\n\n{en}", encoding="utf-8")
    pairs = [(r, e) for r, e in zip(ru.split("\n"), en.split("\n")) if r.strip() and e.strip()]
    for i in range(15):
        order = pairs[i % len(pairs):] + pairs[: i % len(pairs)]
        text = "\n\n".join(f"{r}\n\n{e}" for r, e in order)
        (folder / f"dump{i:02d}.txt").write_text(f"Выпуск {i + 1}.\n\nIssue {i + 1}.\n\n{text}\n", encoding="utf-8")
    shutil.copy(corpora / "mfa_channel_dump.txt", folder / "channel.txt")
    return 20


def command(inputs: Path, out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "aligner", "batch", str(inputs), "-o", str(out), "-j", str(workers),
            "--deterministic", "-q"]


def environment(cache: Path) -> dict:
    return {**os.environ, "ALIGNER_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file, without the run's own bookkeeping (summary timings, status folder)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != "summary.json" and ".aligner-batch" not in p.parts}


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (workers, the resource tracker), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def trial(inputs: Path, work: Path, k: int, moment: float, workers: int, clean: dict[str, bytes]) -> dict:
    out, cache = work / f"out{k}", work / f"cache{k}"
    env = environment(cache)
    proc = subprocess.Popen(command(inputs, out, workers), env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    tail = subprocess.Popen(["tail", "-n", "3"], stdin=proc.stdout, stdout=subprocess.DEVNULL)
    proc.stdout.close()  # only the batch (and whatever it started) holds the pipe now
    family: set[int] = set()
    deadline = time.monotonic() + moment
    while time.monotonic() < deadline and proc.poll() is None:
        family |= descendants(proc.pid)
        time.sleep(0.02)
    finished_before_kill = proc.poll() is not None
    family |= descendants(proc.pid)
    done_before = len([p for p in out.glob("*.tsv")]) if out.is_dir() else 0
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    time.sleep(2.0)
    survivors = sorted(p for p in family if alive(p))
    tail_exited = tail.poll() is not None
    if not tail_exited:
        tail.kill()
    tail.wait()
    for p in survivors:  # leave nothing behind, whatever the verdict
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    t0 = time.monotonic()
    rerun = subprocess.run(command(inputs, out, workers), env=env, cwd=REPO, capture_output=True, text=True)
    parts = sorted(str(p.relative_to(out)) for p in out.rglob("*.part"))
    got = outputs(out)
    return {
        "kill": k + 1, "moment": moment, "killed_early": not finished_before_kill, "outputs_before": done_before,
        "processes": len(family), "survivors": len(survivors), "tail_exited": tail_exited,
        "rerun_rc": rerun.returncode, "rerun_s": time.monotonic() - t0,
        "identical": got == clean, "parts": len(parts), "stderr": rerun.stderr.strip()[-300:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="aligner-fault-"))
    try:
        inputs = work / "in"
        n = make_inputs(inputs)
        t0 = time.monotonic()
        clean_run = subprocess.run(command(inputs, work / "clean", args.workers), env=environment(work / "cache"),
                                   cwd=REPO, capture_output=True, text=True)
        clean_s = time.monotonic() - t0
        if clean_run.returncode != 0:
            print(f"clean run failed (exit {clean_run.returncode}):\n{clean_run.stderr}", file=sys.stderr)
            return 1
        clean = outputs(work / "clean")
        print(f"{n} inputs, {len(clean)} output files; clean run {clean_s:.1f}s with -j {args.workers}; "
              f"seed {args.seed}")
        rng = random.Random(args.seed)
        moments = sorted(round(rng.uniform(0.3, clean_s * 0.9), 2) for _ in range(args.kills))
        rows = [trial(inputs, work, k, m, args.workers, clean) for k, m in enumerate(moments)]
        header = ("kill", "at s", "outputs then", "procs seen", "alive 2 s later", "tail exited", "rerun exit",
                  "rerun s", "identical", ".part left")
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for r in rows:
            print(f"| {r['kill']} | {r['moment']:.2f} | {r['outputs_before']} | {r['processes']} | {r['survivors']} | "
                  f"{'yes' if r['tail_exited'] else 'NO'} | {r['rerun_rc']} | {r['rerun_s']:.1f} | "
                  f"{'yes' if r['identical'] else 'NO'} | {r['parts']} |")
        ok = all(r["survivors"] == 0 and r["tail_exited"] and r["rerun_rc"] == 0 and r["identical"]
                 and r["parts"] == 0 for r in rows)
        for r in rows:
            if r["rerun_rc"] != 0:
                print(f"kill {r['kill']}: rerun said: {r['stderr']}", file=sys.stderr)
        print("all checks passed" if ok else "SOME CHECKS FAILED")
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
