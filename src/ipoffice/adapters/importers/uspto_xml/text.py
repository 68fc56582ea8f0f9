"""The text of USPTO XML elements: inline markup joined without spaces, blocks (paragraphs, headings,
claims, list items, table rows, ...) separated, whitespace folded; and the package's stylesheets.

The walk over the tree runs in libxslt (``text.xsl``): a Python walk costs ten times the XML parse of a
description. The stylesheets that flatten several elements at once (``children.xsl``, ``v4.xsl``) get
the text templates of ``text.xsl`` appended when loaded (:func:`stylesheet`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from importlib import resources
from typing import cast

from lxml import etree

from ipoffice.adapters.importers._common import fold_whitespace

BREAK = "\n"
# The marks that text.xsl, children.xsl and v4.xsl write (as character references): Unicode
# noncharacters, reserved for a program's internal use, so they never come in with the data, and no
# whitespace, so they survive whitespace folding.
_BLOCK_MARK = "\ufdd0"  # before and after each block
RECORD = "\ufdd1"  # starts each record of a multi-record text

_XSL = "{http://www.w3.org/1999/XSL/Transform}"
_PACKAGE = resources.files(__name__.rpartition(".")[0])


def _package_stylesheet(name: str) -> etree._Element:
    """The root of the package data file ``name``, its internal entities (v4.xsl's) expanded."""
    return etree.fromstring(_PACKAGE.joinpath(name).read_bytes(), etree.XMLParser(no_network=True))


_TEXT = _package_stylesheet("text.xsl")
_TEXT_TEMPLATES = {template.get("name"): template for template in _TEXT.iterchildren(f"{_XSL}template")}


def _matched(template: etree._Element) -> frozenset[str]:
    return frozenset(name.strip() for name in (template.get("match") or "").split("|"))


# Elements with text of their own (the rest, b, i, sub, sup, figref, ..., are inline), as text.xsl has them.
_SEPARATED = tuple(_matched(_TEXT_TEMPLATES["block"]) | _matched(_TEXT_TEMPLATES["cell"]))
_TEXT_WITH_BLOCK_MARKS = etree.XSLT(_TEXT)


def stylesheet(name: str) -> etree.XSLT:
    """The package data file ``name`` (``children.xsl``, ``v4.xsl``) as an XSLT, with the block and cell
    templates of ``text.xsl`` appended: text fields come out flattened, block marks and all. Raises
    ``etree.XSLTParseError`` for a broken stylesheet."""
    root = _package_stylesheet(name)
    root.extend(copy.deepcopy(template) for template in _TEXT_TEMPLATES.values())
    return etree.XSLT(root)


def join_blocks(marked: str, block_separator: str) -> str:
    """Text with block marks → each block's whitespace folded, empty blocks dropped, the rest joined.
    (A regular expression over the whole text is slower: Python's regex engine scans slower than this.)"""
    # Half the pieces are the whitespace between two blocks: dropped by a check in C.
    blocks = (fold_whitespace(block) for block in marked.split(_BLOCK_MARK) if block and not block.isspace())
    return block_separator.join(block for block in blocks if block)


def flatten(element: etree._Element | None, *, block_separator: str = " ") -> str:
    """The text of an element: inline markup joined without spaces, blocks on their own line
    (``block_separator="\\n"``) or separated by one space."""
    if element is None:
        return ""
    if len(element) == 0:  # a leaf such as <last-name>: most calls
        return fold_whitespace(element.text or "")
    if next(element.iterdescendants(*_SEPARATED), None) is None:  # inline markup only
        return fold_whitespace("".join(cast("Iterator[str]", element.itertext())))
    return join_blocks(str(_TEXT_WITH_BLOCK_MARKS(element)), block_separator)


# The claims of a document in one XSLT pass instead of one each (a document has 20 on average).
_CHILDREN_TEXT = stylesheet("children.xsl")


def flatten_children(parent: etree._Element, tag: str) -> list[str]:
    """``flatten`` of each ``tag`` child of ``parent``, in document order (as ``findall(tag)``)."""
    marked = str(_CHILDREN_TEXT(parent, tag=etree.XSLT.strparam(tag)))
    return [join_blocks(text, " ") for text in marked.split(RECORD)[1:]]


def text_at(element: etree._Element | None, path: str | None = None) -> str:
    """``flatten`` of the first element at ``path`` below ``element`` (of ``element`` itself without a
    path); "" when there is none."""
    if element is not None and path is not None:
        element = element.find(path)
    return flatten(element)

