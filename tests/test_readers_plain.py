"""read_text: files in every encoding, and a clear error for every bad input."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.readers import plain
from aligner.readers.plain import read_text

TEXT = 'Глава 1\n\nВ понедельник Сара Даниус заявила: "Сейчас мы ничего не делаем".\nЁлка стоит у окна.\n'


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", b""),
        ("cp1251", b""),
        ("koi8_r", b""),
    ],
)
def test_reads_each_encoding(tmp_path: Path, encoding: str, bom: bytes) -> None:
    path = tmp_path / "book.txt"
    path.write_bytes(bom + TEXT.encode(encoding))
    assert read_text(path) == TEXT
    assert read_text(str(path)) == TEXT


def test_windows_line_ends_and_nbsp(tmp_path: Path) -> None:
    path = tmp_path / "win.txt"
    path.write_bytes("Первая\u00a0строка\r\nВторая стро\u00adка\r\n".encode("cp1251"))
    assert read_text(path) == "Первая строка\nВторая строка\n"


def test_real_eval_text_in_cp1251(tmp_path: Path, shared_dir: Path) -> None:
    original = (shared_dir / "eval/cases/flores_devtest_00/ru.raw.txt").read_text(
        encoding="utf-8"
    )
    original = original.replace("\u2014", "-")  # no em dash in KOI8-R
    for encoding in ("cp1251", "koi8_r"):
        path = tmp_path / f"ru.{encoding}.txt"
        path.write_bytes(original.encode(encoding, errors="replace"))
        assert read_text(path) == original.encode(encoding, errors="replace").decode(
            encoding
        )


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b" \n\t\r\n"), "empty"),
        (lambda p: p.write_bytes("\u200b\ufeff\u00ad".encode("utf-8")), "no text"),
        (lambda p: p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), "PDF"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + bytes(100)), "ZIP"),
        (lambda p: p.write_bytes(b"abc\x00\x01\x02" * 50), "binary"),
    ],
)
def test_errors_name_the_file(tmp_path: Path, make, words: str) -> None:
    path = tmp_path / "input.txt"
    make(path)
    with pytest.raises(InputError, match=words) as info:
        read_text(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plain, "MAX_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("Это слишком длинный файл.", encoding="utf-8")
    with pytest.raises(InputError, match="limit"):
        read_text(path)


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root can read any file"
)
def test_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Текст.", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission"):
            read_text(path)
    finally:
        path.chmod(0o600)


def test_read_text_as_written(tmp_path: Path) -> None:
    path = tmp_path / "nbsp.txt"
    path.write_bytes("Первая\u00a0строка\u200b.\r\n".encode("utf-8"))
    text, written = plain.read_text_as_written(path)
    assert text == read_text(path) == "Первая строка.\n"
    assert written == "Первая\u00a0строка\u200b.\r\n"
