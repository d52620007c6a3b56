"""Safe access to ZIP-based documents (DOCX, ODT, EPUB) and their XML parts.

Hostile files are stopped here, before any library unpacks them:
``limits.check_zip`` caps the entry count and the declared unpacked size
(zipfile never inflates past a declared size, so a zip bomb cannot grow), and
``parse_xml`` refuses any part that declares entities (XXE, billion laughs)
and parses with entity resolution and network access off. Office suites and
EPUB tools never write entity declarations, so no real document is refused.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from aligner.errors import InputError

__all__ = ["open_zip", "read_part", "parse_xml", "check_parts", "check_entities"]

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_SUFFIXES = (".xml", ".xhtml", ".html", ".htm", ".opf", ".ncx", ".rels")


def open_zip(path: str | Path) -> zipfile.ZipFile:
    """Open a ZIP document after checking its central directory against the limits.

    Raises:
        InputError: not a readable ZIP, too many entries, or too big unpacked.
    """
    from aligner import limits

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path} is a damaged ZIP archive ({exc}); save the document again") from None
    try:
        limits.check_zip(zf.infolist(), path)
    except InputError:
        zf.close()
        raise
    return zf


def read_part(zf: zipfile.ZipFile, name: str, path: str | Path) -> bytes:
    """The bytes of one archive entry; a damaged entry is an ``InputError``."""
    try:
        return zf.read(name)
    except KeyError:
        raise InputError(f"{path} has no {name}; it is not a complete document, save it again") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise InputError(f"{path}: cannot unpack {name} ({exc}); save the document again") from None


def check_parts(zf: zipfile.ZipFile, path: str | Path) -> None:
    """Refuse the archive when any XML part declares entities (run before a library parses it)."""
    for info in zf.infolist():
        if info.filename.lower().endswith(_XML_SUFFIXES):
            check_entities(read_part(zf, info.filename, path), info.filename, path)


def check_entities(data: bytes, part: str, path: str | Path) -> None:
    # UTF-16 XML would hide the declaration from a byte search; documents are UTF-8 in practice.
    probe = data.decode("utf-16", errors="ignore").encode("utf-8") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
    if _ENTITY_DECL.search(probe):
        raise InputError(
            f"{path}: {part} declares XML entities, which documents never need (an XXE or entity-expansion "
            "attack); save the document again from its editor"
        )


def parse_xml(data: bytes, part: str, path: str | Path):
    """Parse one XML part with entities refused, no DTD loading and no network.

    Returns:
        The lxml root element.
    Raises:
        InputError: entity declarations, or XML that cannot be parsed.
    """
    from lxml import etree

    check_entities(data, part, path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"{path}: {part} is not well-formed XML ({exc}); save the document again") from None
