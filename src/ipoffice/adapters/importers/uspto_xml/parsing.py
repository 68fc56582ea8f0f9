"""Parsing one USPTO XML document without its DTD.

The DTDs are never loaded (no network, no external files). Without them only &amp; &lt; &gt; &quot;
&apos; are defined, while USPTO text uses ISO 8879 character entities (&mdash; &frac12; &lgr; ...):
they are replaced from a table before parsing. HTML5 knows most of them; the Greek ISOgrk1 set it lacks.
"""

from __future__ import annotations

import html.entities
import re

from lxml import etree

_ISOGRK1 = {
    "agr": "α", "bgr": "β", "ggr": "γ", "dgr": "δ", "egr": "ε", "zgr": "ζ", "eegr": "η", "thgr": "θ",
    "igr": "ι", "kgr": "κ", "lgr": "λ", "mgr": "μ", "ngr": "ν", "xgr": "ξ", "ogr": "ο", "pgr": "π",
    "rgr": "ρ", "sgr": "σ", "sfgr": "ς", "tgr": "τ", "ugr": "υ", "phgr": "φ", "khgr": "χ", "psgr": "ψ",
    "ohgr": "ω",
}
_ISOGRK1.update({name[0].upper() + name[1:]: ch.upper() for name, ch in list(_ISOGRK1.items()) if name != "sfgr"})
_PREDEFINED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_ENTITY_REF = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")


def _entity_replacement(name: str) -> bytes:
    text = html.entities.html5.get(name + ";") or _ISOGRK1.get(name)
    if text is None:
        # Unknown name: keep it visible as literal text rather than dropping it.
        return b"&amp;" + name.encode("ascii") + b";"
    return "".join(f"&#{ord(ch)};" for ch in text).encode("ascii")


_entity_cache: dict[bytes, bytes] = {}


def _replace_entity(match: re.Match[bytes]) -> bytes:
    name = match.group(1)
    if name in _PREDEFINED:
        return match.group(0)
    out = _entity_cache.get(name)
    if out is None:
        out = _entity_cache[name] = _entity_replacement(name.decode("ascii"))
    return out


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
        remove_comments=True, remove_pis=True, huge_tree=True,
    )


_PARSER = _parser()


def parse_document(data: bytes) -> etree._Element:
    """Parse one document's bytes (raises ``etree.XMLSyntaxError``)."""
    return etree.fromstring(_ENTITY_REF.sub(_replace_entity, data), _PARSER)

