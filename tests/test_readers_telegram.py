"""Readers for mixed documents: Telegram JSON and HTML exports, t.me/s pages, plain dumps."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aligner.readers.encoding import normalise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.readers import detect_format, read_paragraphs
from aligner.readers.telegram_json import message_text

RU_EN_POST = "Россия и Китай подписали соглашение.\n\nRussia and China signed an agreement."


def write_json(tmp_path: Path, data, name: str = "result.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def msg(id_: int, text, type_: str = "message", **extra) -> dict:
    return {"id": id_, "type": type_, "date": f"2025-06-{10 + id_ % 20:02d}T10:00:00",
            "date_unixtime": "1750000000", "from": "MFA Russia", "from_id": "channel1", "text": text,
            "text_entities": [], **extra}


# ---------------------------------------------------------------- Telegram JSON


def test_single_chat_export(tmp_path):
    path = write_json(tmp_path, {"name": "MFA", "type": "public_channel", "id": 1, "messages": [
        msg(1, "Первый пост."),
        msg(2, "", type_="service", action="pin_message"),
        msg(3, RU_EN_POST),
    ]})
    paras = read_paragraphs(path)
    assert [(p.source.post_id, p.text) for p in paras] == [
        ("1", "Первый пост."),
        ("3", "Россия и Китай подписали соглашение."),
        ("3", "Russia and China signed an agreement."),
    ]
    assert paras[2].source.date == "2025-06-13T10:00:00"
    assert paras[2].source.author == "MFA Russia"
    assert (paras[2].source.line_start, paras[2].source.line_end) == (3, 3)
    assert paras[0].source.file == str(path)


def test_text_as_array_of_strings_and_entities():
    m = msg(5, ["Читайте ", {"type": "bold", "text": "заявление"}, " на сайте: ",
                {"type": "text_link", "text": "mid.ru", "href": "https://mid.ru"}, "\n\n",
                {"type": "hashtag", "text": "#МИД"}])
    assert message_text(m) == "Читайте заявление на сайте: mid.ru\n\n#МИД"


def test_full_account_export_reads_every_chat(tmp_path):
    path = write_json(tmp_path, {"about": "", "chats": {"about": "", "list": [
        {"name": "RU", "type": "public_channel", "id": 11, "messages": [msg(1, "Заявление МИД России.")]},
        {"name": "EN", "type": "public_channel", "id": 22, "messages": [msg(1, "Statement by the MFA.")]},
    ]}})
    paras = read_paragraphs(path)
    assert [p.source.post_id for p in paras] == ["11/1", "22/1"]
    assert [p.source.unit for p in paras] == ["11/1", "22/1"]


def test_json_detected_from_content_not_extension(tmp_path):
    path = write_json(tmp_path, {"name": "x", "id": 1, "messages": [msg(1, "Hello there.")]}, name="export.txt")
    assert [p.text for p in read_paragraphs(path)] == ["Hello there."]


@pytest.mark.parametrize("content, match", [
    ('{"name": "x", "messages": [{"id": 1, "type": "message", "text": "obr', "not valid JSON"),
    ('{"name": "x", "messages": [', "not valid JSON"),
    ('{"users": [1, 2, 3]}', "not a Telegram"),
    ('[1, 2, 3]', "not a Telegram"),
])
def test_malformed_or_foreign_json_is_a_clear_input_error(tmp_path, content, match):
    path = tmp_path / "result.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_paragraphs(path)


def test_missing_and_empty_files_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_paragraphs(tmp_path / "nope.json")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_paragraphs(tmp_path / "empty.txt")


_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                max_size=60)


def _normalise(text: str) -> list[str]:  # applied after readers.encoding.normalise
    """What the reader promises to keep: the non-blank paragraphs, each line stripped."""
    out = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", text):
        lines = [line.strip() for line in chunk.split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            out.append("\n".join(lines))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.booleans(), st.lists(_TEXT, min_size=1, max_size=4), st.booleans()), max_size=8))
def test_any_export_parses_back_to_the_same_texts(tmp_path, messages):
    data, expected = [], []
    for n, (as_array, parts, service) in enumerate(messages, start=1):
        text = "".join(parts)
        raw = [p if k % 2 else {"type": "plain", "text": p} for k, p in enumerate(parts)] if as_array else text
        data.append(msg(n, raw, type_="service" if service else "message"))
        if not service:
            expected.extend((str(n), para) for para in _normalise(normalise(text)))
    path = write_json(tmp_path, {"name": "x", "type": "public_channel", "id": 7, "messages": data})
    assert [(p.source.post_id, p.text) for p in read_paragraphs(path)] == expected


# ---------------------------------------------------------------- Telegram HTML

DESKTOP = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Exported Data</title>
<script>document.location = "https://evil.example/";</script></head><body><div class="page_wrap">
<div class="history">
<div class="message service" id="message-1"><div class="body details">19 June 2025</div></div>
<div class="message default clearfix" id="message{a}">
 <div class="pull_left userpic_wrap"><div class="userpic"></div></div>
 <div class="body">
  <div class="pull_right date details" title="19.06.2025 12:34:56 UTC+03:00">12:34</div>
  <div class="from_name">MFA Russia</div>
  <div class="text">Россия и Китай подписали соглашение.<br>Russia and China signed an agreement.</div>
 </div>
</div>
<div class="message default clearfix joined" id="message{b}">
 <div class="body">
  <div class="pull_right date details" title="19.06.2025 12:40:00 UTC+03:00">12:40</div>
  <div class="reply_to details">In reply to <a href="#go_to_message{a}">this message</a></div>
  <div class="text">Второй пост &amp; <a href="https://mid.ru">ссылка</a>.<br><br>Second post.</div>
 </div>
</div>
</div></div></body></html>"""


def test_desktop_html_export_with_parts(tmp_path):
    (tmp_path / "messages.html").write_text(DESKTOP.format(a=10, b=11), encoding="utf-8")
    (tmp_path / "messages2.html").write_text(DESKTOP.format(a=12, b=13), encoding="utf-8")
    paras = read_paragraphs(tmp_path / "messages.html")
    assert [p.source.post_id for p in paras] == ["10", "11", "11", "12", "13", "13"]
    first = paras[0]
    assert first.text == "Россия и Китай подписали соглашение.\nRussia and China signed an agreement."
    assert first.source.date == "2025-06-19T12:34:56+03:00"
    assert first.source.author == "MFA Russia"
    assert paras[1].source.author == "MFA Russia"  # "joined" keeps the author
    assert paras[1].text == "Второй пост & ссылка."
    assert paras[2].text == "Second post."
    assert paras[4].source.file.endswith("messages2.html")
    assert not any("reply" in p.text.lower() or "evil" in p.text for p in paras)
    # A directory is read as an export folder.
    assert [p.text for p in read_paragraphs(tmp_path)] == [p.text for p in paras]


TME = """<html><head><script>fetch("https://t.me/x")</script></head><body><section class="tgme_channel_history">
<div class="tgme_widget_message_wrap js-widget_message_wrap">
 <div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="MFARussia/24001">
  <div class="tgme_widget_message_bubble">
   <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/MFARussia"><span dir="auto">MFA Russia 🇷🇺</span></a></div>
   <div class="tgme_widget_message_reply"><div class="tgme_widget_message_text js-message_text">quoted older text</div></div>
   <div class="tgme_widget_message_text js-message_text" dir="auto"><i class="emoji"><b>⚡️</b></i> Заявление МИД России<br/><br/>Russian MFA statement<br/>on Iran</div>
   <div class="message_media_not_supported_label">Please open Telegram to view this post</div>
   <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
    <span class="tgme_widget_message_views">12.3K</span><span class="tgme_widget_message_meta">
    <a class="tgme_widget_message_date" href="https://t.me/MFARussia/24001"><time datetime="2025-06-22T09:15:00+00:00" class="time">09:15</time></a></span>
   </div></div>
  </div>
 </div>
</div>
</section></body></html>"""


def test_tme_channel_page(tmp_path):
    path = tmp_path / "MFARussia.html"
    path.write_text(TME, encoding="utf-8")
    paras = read_paragraphs(path)
    assert [p.text for p in paras] == ["⚡️ Заявление МИД России", "Russian MFA statement\non Iran"]
    src = paras[1].source
    assert (src.post_id, src.date, src.author, src.unit) == ("24001", "2025-06-22T09:15:00+00:00", "MFA Russia 🇷🇺", "MFARussia/24001")
    assert (src.line_start, src.line_end) == (3, 4)


def test_html_detected_without_extension(tmp_path):
    path = tmp_path / "saved_page"
    path.write_text(TME, encoding="utf-8")
    assert detect_format(TME, path) == "telegram_html"
    assert len(read_paragraphs(path)) == 2


def test_generic_html_falls_back_to_visible_lines(tmp_path):
    path = tmp_path / "site.html"
    path.write_text("<html><body><h1>Новости</h1><p>Первый абзац.</p><p>First paragraph.<br>Line two.</p>"
                    "<script>var x = 'hidden';</script></body></html>", encoding="utf-8")
    assert [p.text for p in read_paragraphs(path)] == ["Новости", "Первый абзац.", "First paragraph.", "Line two."]


_HTML_BITS = st.sampled_from([
    "<div class='message default' id='message1'>", "<div class='text'>", "</div>", "<br>", "<br/>",
    "<div class='tgme_widget_message' data-post='c/1'>", "<div class='tgme_widget_message_text'>",
    "<time datetime='x'>", "<script>", "</script>", "<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&bogus;",
    "<!DOCTYPE html [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>", "&x;", "<p>", "<", ">", "\x00",
    "Привет", "Hello", "\n", " ",
])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_HTML_BITS, st.text(max_size=20)), max_size=60))
def test_random_html_never_crashes_or_hangs(tmp_path, bits):
    path = tmp_path / "page.html"
    path.write_text("<html>" + "".join(bits), encoding="utf-8", errors="surrogatepass")
    try:
        paras = read_paragraphs(path)
    except InputError:
        return
    assert all(p.text.strip() for p in paras)
    assert not any("root:" in p.text for p in paras)  # no external entity was resolved


def test_deeply_nested_html_is_read(tmp_path):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 1000 + "Глубоко" + "</div>" * 1000 + "</body></html>", encoding="utf-8")
    assert [p.text for p in read_paragraphs(path)] == ["Глубоко"]


# ---------------------------------------------------------------- plain dumps


def test_dump_lines_spans_and_posts(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text(
        "⚡️ Statement on the talks in Istanbul between the two delegations\n"
        "The talks lasted three hours and ended with an exchange of prisoners.\n"
        "Read in full\n"
        "The talks lasted three hours and ended with an exchange of prisoners.\n"
        "On this day in 1941 the Great Patriotic War began.\n"
        "22 июня 1941 года началась Великая Отечественная война.\n",
        encoding="utf-8",
    )
    paras = read_paragraphs(path)
    assert [p.source.line_start for p in paras] == [1, 2, 3, 4, 5, 6]
    assert all(p.source.line_end == p.source.line_start for p in paras)
    units = [p.source.unit for p in paras]
    # footer ends post 1; the repeated line is a copy (post 2); new text starts post 3
    assert units == ["p1", "p1", "p1", "p2", "p3", "p3"]
    assert all(p.source.post_id is None for p in paras)


def test_dump_refrain_is_no_copy_but_a_repeated_post_is(tmp_path):
    """A story's refrain repeats one line of a paragraph: no scraper copy, so the story stays one
    post (it had been cut in three, and each part was paired on its own). Two lines shown again
    are a copy, with nothing between them and the rest."""
    refrain = "“Swallow, Swallow, little Swallow,” said the Prince, “will you not stay with me?”"
    story = tmp_path / "story.txt"
    story.write_text(f"The Swallow flew over the city.\n\n{refrain}\n\nIt is winter, answered the Swallow.\n\n"
                     f"He flew back to the Prince.\n\n{refrain}\n\nI will stay with you one night longer.\n",
                     encoding="utf-8")
    assert {p.source.unit for p in read_paragraphs(story)} == {"p1"}
    a1, a2 = "The ministry commented on the talks in Istanbul today.", "The next round is planned for July."
    dump = tmp_path / "dump.txt"
    dump.write_text(f"Opening post about the weather in Moscow.\n{a1}\n{a2}\n{a1}\n{a2}\nA new post on trade.\n",
                    encoding="utf-8")
    assert [p.source.unit for p in read_paragraphs(dump)] == ["p1", "p1", "p1", "p2", "p2", "p3"]


def test_sample_dump_separates_the_bilingual_post(shared_dir):
    paras = read_paragraphs(shared_dir / "samples" / "mfa_channel_dump.txt")
    unit_of = {p.source.line_start: p.source.unit for p in paras}
    assert len({unit_of[n] for n in range(91, 103)}) == 1
    assert unit_of[83] != unit_of[91] != unit_of[107]
