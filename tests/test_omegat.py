"""OmegaT round trip: our TMX in tm/auto/ must fill in the translations of a real project.

OmegaT (Debian package ``omegat``) runs in console mode on a tiny project: a
plain-text source file, our TMX in ``tm/auto/`` (exact matches there are
applied automatically), ``--mode=console-translate`` writes the target file.
The text is full of ``&``, ``<``, quotes and control characters; the source
file holds what a translator would see (the text after ``clean_text``).
Both directions: a ru->en project with the default TMX, and an en->ru project
with the TMX that ``--source en`` writes (English ``srclang``, English first),
with plain and regional language tags (``--en-locale en-US --ru-locale ru-RU``).
Skipped when OmegaT or Java is not installed (CI installs them: see README).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from aligner.cli import _languages
from aligner.model import Bead
from aligner.writers import write
from aligner.writers.text import clean_text

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{src}</source_lang>
    <target_lang>{tgt}</target_lang>
    <source_tok>{src_tok}</source_tok>
    <target_tok>{tgt_tok}</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

BEADS = [
    Bead(
        (0,),
        (0,),
        'Цены & скидки: 5 < 7 > 3, «ёлки» и "кавычки"',
        "Prices & discounts: 5 < 7 > 3, \"trees\" and 'quotes'",
        0.96,
        {"sim": 0.9},
        {"doc": "shop&co.txt", "ru_msg_id": "17", "note": "<b>bold</b> & co"},
    ),
    Bead(
        (1,),
        (1,),
        "Управляющие\x01 символы\x0b тут\x7f и там\x1f.",
        "Control\x02 characters\x0c here\x9f and there.",
        0.88,
    ),
    Bead(
        (2,),
        (2,),
        "Тег <seg>не тег</seg> и ]]> конец CDATA &amp; сущность",
        "Tag <seg>not a tag</seg> and ]]> CDATA end &amp; entity",
        0.91,
    ),
    Bead(
        (3,),
        (3,),
        "Апостроф ' и обратный слэш \\ и табуляция\tвнутри",
        "Apostrophe ' and backslash \\ and a tab\tinside",
        0.9,
    ),
    Bead((4,), (), "Эта фраза без перевода.", "", 0.0),
    Bead((), (4,), "", "This sentence has no translation.", 0.0),
]
UNTRANSLATED = {"ru": "Этого абзаца нет в памяти переводов.", "en": "This paragraph is not in the memory."}
TOKENIZERS = {"ru": "org.omegat.tokenizer.LuceneRussianTokenizer", "en": "org.omegat.tokenizer.LuceneEnglishTokenizer"}


def omegat_command(home: Path) -> list[str] | None:
    """The Debian jar run headless with its settings in ``home``; else the ``omegat`` launcher."""
    java = shutil.which("java")
    if java and OMEGAT_JAR.is_file():
        return [java, "-Djava.awt.headless=true", f"-Duser.home={home}", "-jar", str(OMEGAT_JAR)]
    launcher = shutil.which("omegat")
    return [launcher] if launcher else None


@pytest.fixture(scope="module")
def omegat(tmp_path_factory) -> list[str]:
    home = tmp_path_factory.mktemp("omegat-home")
    cmd = omegat_command(home)
    if cmd is None:
        pytest.skip("OmegaT is not installed (apt-get install -y omegat)")
    return cmd


def side(bead: Bead, lang: str) -> str:
    return bead.ru if lang == "ru" else bead.en


def make_project(root: Path, src: str, tgt: str, languages: dict[str, str]) -> Path:
    """A project translating ``src`` into ``tgt``; ``languages`` is the CLI's srclang/tgtlang for the TMX."""
    for sub in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    src_lang, tgt_lang = src[:2], tgt[:2]
    project = PROJECT.format(src=src, tgt=tgt, src_tok=TOKENIZERS[src_lang], tgt_tok=TOKENIZERS[tgt_lang])
    (root / "omegat.project").write_text(project, encoding="utf-8")
    # One paragraph per segment: OmegaT's text filter splits on empty lines.
    paragraphs = [clean_text(side(b, src_lang)) for b in BEADS if side(b, src_lang)] + [UNTRANSLATED[src_lang]]
    (root / "source" / "doc.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    write(
        BEADS,
        root / "tm" / "auto" / "aligned.tmx",
        meta={"creationdate": 0, "encoder": "use", "thresholds": {"min_score": 0.5}, **languages},
    )
    return root


# (project source, project target, --source, --ru-locale, --en-locale)
DIRECTIONS = [
    ("ru", "en", "ru", "ru", "en"),
    ("ru-RU", "en-GB", "ru", "ru", "en"),
    ("en", "ru", "en", "ru", "en"),
    ("en-US", "ru-RU", "en", "ru-RU", "en-US"),
]


@pytest.mark.parametrize("src,tgt,source,ru_locale,en_locale", DIRECTIONS)
def test_omegat_applies_our_translations(omegat, tmp_path, src, tgt, source, ru_locale, en_locale):
    languages = _languages(source, ru_locale, en_locale)
    assert languages["srclang"][:2] == src[:2]
    project = make_project(tmp_path / "project", src, tgt, languages)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "LC_ALL": "C.UTF-8"}
    cmd = omegat + [str(project), "--mode=console-translate"]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    log = (proc.stdout + proc.stderr)[-3000:]
    assert proc.returncode == 0, log
    assert "aligned.tmx" in log  # OmegaT read our TM
    target = project / "target" / "doc.txt"
    assert target.is_file(), log
    got = [p.strip("\n") for p in target.read_text(encoding="utf-8").split("\n\n")]
    src_lang, tgt_lang = src[:2], tgt[:2]
    # A bead with no translation is no TM entry, so its source text stays as it is.
    expected = [clean_text(side(b, tgt_lang) or side(b, src_lang)) for b in BEADS if side(b, src_lang)]
    expected.append(UNTRANSLATED[src_lang])
    assert got == expected, log
    first = {"en": "Prices & discounts: 5 < 7 > 3, \"trees\" and 'quotes'",
             "ru": 'Цены & скидки: 5 < 7 > 3, «ёлки» и "кавычки"'}
    assert got[0] == first[tgt_lang]
