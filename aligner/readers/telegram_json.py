"""Telegram Desktop JSON export (``result.json``): one chat, or a whole account (``chats.list[]``).

Each message's text becomes paragraphs (split at blank lines, which is how
channels separate the Russian and English halves of a post). Service
messages (joins, pins, title changes) and messages without text are skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aligner.errors import InputError, show_path
from aligner.model import Paragraph, Source
from aligner.readers.encoding import LONE_SURROGATE, normalise

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


# A JSON escape of a UTF-16 surrogate (``"\\ud800"``): json.loads pairs the proper ones into one
# character, but leaves a lone one in the string, and no UTF-8 writer can encode that.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _drop_surrogates(value: Any) -> Any:
    """``value`` (parsed JSON) with every lone surrogate removed from its strings and keys."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("", value)
    if isinstance(value, list):
        return [_drop_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_drop_surrogates(k): _drop_surrogates(v) for k, v in value.items()}
    return value


def looks_like(head: str) -> bool:
    """True when the start of a file looks like a Telegram JSON export."""
    start = head.lstrip("\ufeff \t\r\n")[:1]
    return start == "{" and bool(re.search(r'"(messages|chats|left_chats)"\s*:', head))


def read(path: str | Path, text: str) -> list[Paragraph]:
    """Parse an export already decoded to ``text``.

    Args:
        path: the file name, kept in each paragraph's source.
        text: the file's content.
    Returns:
        Paragraphs in message order; ``source.post_id`` is the message id
        (``chat_id/message_id`` in a multi-chat export), ``source.line_*`` the
        1-based line span inside the message text.
    Raises:
        InputError: malformed or truncated JSON, or JSON that is not a Telegram export.
    """
    from aligner.limits import check_json_depth

    check_json_depth(text, path)  # a nesting bomb must not reach the recursive parser
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{show_path(path)} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "the export may be truncated: export the chat again from Telegram Desktop"
        ) from None
    if _SURROGATE_ESCAPE.search(text):
        data = _drop_surrogates(data)
    chats = list(_chats(data, path))
    multi = len(chats) > 1
    out: list[Paragraph] = []
    for chat in chats:
        chat_id = str(chat.get("id", ""))
        for msg in chat["messages"]:
            out.extend(_message_paragraphs(msg, str(path), chat_id if multi else None))
    return out


def _chats(data: Any, path: str | Path) -> Iterator[dict]:
    not_export = InputError(
        f"{show_path(path)} is JSON but not a Telegram Desktop export (no 'messages' list and no 'chats.list'); "
        "export the chat as JSON from Telegram Desktop"
    )
    if not isinstance(data, dict):
        raise not_export
    if isinstance(data.get("messages"), list):
        yield data
        return
    found = False
    for key in ("chats", "left_chats"):
        section = data.get(key)
        chats = section.get("list") if isinstance(section, dict) else None
        if isinstance(chats, list):
            found = True
            for chat in chats:
                if isinstance(chat, dict) and isinstance(chat.get("messages"), list):
                    yield chat
    if not found:
        raise not_export


def message_text(msg: dict) -> str:
    """The plain text of a message: ``text`` is a string or a list of strings and entity objects."""
    raw = msg.get("text")
    if raw is None or raw == "" or raw == []:
        raw = msg.get("text_entities") or ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list):
        parts = []
        for part in raw:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def _message_paragraphs(msg: Any, path: str, chat_id: str | None) -> list[Paragraph]:
    if not isinstance(msg, dict) or msg.get("type", "message") != "message":
        return []
    # JSON escapes (\u0008, \u00a0, ...) bypass the file-level normalisation; apply it per message.
    text = normalise(message_text(msg))
    if not text.strip():
        return []
    msg_id = str(msg.get("id", ""))
    post_id = f"{chat_id}/{msg_id}" if chat_id is not None else msg_id
    author = msg.get("from") or msg.get("actor")
    base = Source(
        file=path,
        post_id=post_id,
        date=str(msg["date"]) if msg.get("date") else None,
        author=str(author) if author else None,
        unit=post_id,
    )
    return split_paragraphs(text, base)


def split_paragraphs(text: str, base: Source) -> list[Paragraph]:
    """Split a post's text at blank lines; each paragraph keeps its 1-based line span in the post."""
    out = []
    seps = list(_BLANK_LINE.finditer(text))
    starts = [0] + [m.end() for m in seps]
    ends = [m.start() for m in seps] + [len(text)]
    for begin, end in zip(starts, ends):
        chunk = text[begin:end]
        first_line = text.count("\n", 0, begin) + 1
        lines = chunk.split("\n")
        # Drop leading/trailing empty lines but keep the span honest.
        lead = 0
        while lead < len(lines) and not lines[lead].strip():
            lead += 1
        trail = len(lines)
        while trail > lead and not lines[trail - 1].strip():
            trail -= 1
        if lead >= trail:
            continue
        body = "\n".join(line.strip() for line in lines[lead:trail])
        start = first_line + lead
        out.append(
            Paragraph(
                text=body,
                source=Source(
                    file=base.file,
                    post_id=base.post_id,
                    date=base.date,
                    author=base.author,
                    line_start=start,
                    line_end=start + (trail - lead) - 1,
                    unit=base.unit,
                ),
            )
        )
    return out
