"""Figures of #13 cases 2, 3 and 7 over a register imported from ../shared:

    export IPOFFICE_VAR=/tmp/fig
    .venv/bin/ipoffice init
    .venv/bin/ipoffice import ../shared/data/us_xml ../shared/data/ep_xml ../shared/cases/2026-11-30
    .venv/bin/python bench/figures_issue13.py

Design citations resolved (before: the exact number or the number without its kind, as "cited by" matched
until #13; after: ``citation_links``), claims depending on several claims, classification rows by scheme.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_, select

from ipoffice.adapters import tables as t
from ipoffice.bootstrap import open_register
from ipoffice.config import Settings
from ipoffice.domain.citation_links import parse_cited
from ipoffice.services.portal_queries import cited_by, resolve_cited


def main() -> None:
    reg = open_register(Settings.from_env())
    d, c, k, cl = t.documents, t.citations, t.classifications, t.claims
    with reg.engine.connect() as conn:
        numbers = {r.number: f"{r.country}{r.serial}" for r in conn.execute(select(d.c.number, d.c.country,
                                                                                  d.c.serial))}
        cited = list(conn.execute(select(c.c.cited_number).where(c.c.cited_number.is_not(None))).scalars())
        schemes = Counter(conn.execute(select(k.c.scheme)).scalars())
        designs = list(conn.execute(select(d.c.id).where(d.c.right_type == "design")).scalars())
        classified = set(conn.execute(select(k.c.document_id).where(k.c.document_id.in_(designs))).scalars())
        dependent = conn.execute(select(func.count()).select_from(cl).where(cl.c.depends_on != "")).scalar_one()
        several = conn.execute(select(func.count()).select_from(cl).where(
            or_(cl.c.depends_on.like("%,%"), cl.c.depends_on.like("%-%")))).scalar_one()
        for number, claim in (("US7158266B2", 47), ("US7863256B2", 27)):
            row = conn.execute(select(cl.c.depends_on).join(d, d.c.id == cl.c.document_id)
                               .where(d.c.number == number, cl.c.number == claim)).first()
            print(f"{number} claim {claim} depends on:", row.depends_on if row else "(not in the register)")
    kindless = set(numbers.values())
    designs_cited = [n for n in cited if (p := parse_cited(n)) and p.country == "US" and p.serial.startswith("D")]
    for label, wanted in (("US design citations", designs_cited), ("all patent citations", cited)):
        before = sum(1 for n in wanted if n in numbers or n in kindless)
        linked = resolve_cited(reg, wanted)
        print(f"{label}: {len(wanted)}; resolving to a register document: before {before}, "
              f"after {sum(1 for n in wanted if n in linked)}")
    print("USD668832S1 cited by:", [x.number for x in cited_by(reg, "USD668832S1")])
    print("classification rows by scheme:", dict(schemes))
    print(f"designs: {len(designs)}, with a classification: {len(classified)}")
    print(f"claims with dependencies: {dependent}, on several claims: {several}")


if __name__ == "__main__":
    main()
