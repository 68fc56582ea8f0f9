"""Proof that the registry of the parameters read by code is honest: every registered name is looked up
in the modules it names — as a string literal, or as the expansion of an f-string whose varying parts
are themselves literals of those modules (``f"deemed_receipt.{service}"`` with ``"paper"``). With the
loader refusing any non-informative parameter that is not registered, every non-informative
parameter of the rules files is read somewhere."""

import ast
import importlib.util
import re
from functools import cache

import pytest

from ipoffice.adapters.rules_loader import load_rules
from ipoffice.domain.rule_parameters import READ_BY_CODE


@cache
def strings_of(module: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """The string literals of an ``ipoffice`` module, and its f-strings as patterns (one group per hole)."""
    spec = importlib.util.find_spec(f"ipoffice.{module}")
    assert spec is not None and spec.origin is not None, f"no module ipoffice.{module}"
    with open(spec.origin, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    literals: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    in_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(re.escape(value.value))
                    in_fstrings.add(id(value))
                else:
                    parts.append("([a-z0-9_]+)")
            patterns.append(re.compile("".join(parts)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstrings:
            literals.add(node.value)
    return frozenset(literals), tuple(patterns)


def read_in(name: str, modules: tuple[str, ...]) -> bool:
    literals = frozenset().union(*(strings_of(m)[0] for m in modules))
    if name in literals:
        return True
    for module in modules:
        for pattern in strings_of(module)[1]:
            match = pattern.fullmatch(name)
            if match and all(hole in literals for hole in match.groups()):
                return True
    return False


REGISTERED = [(j, name, use.read_by) for j, uses in READ_BY_CODE.items() for name, use in sorted(uses.items())]


@pytest.mark.parametrize(("jurisdiction", "name", "read_by"), REGISTERED, ids=[f"{j}:{n}" for j, n, _ in REGISTERED])
def test_every_registered_parameter_is_read_by_the_modules_it_names(jurisdiction, name, read_by):
    assert read_in(name, read_by), f"{jurisdiction} {name}: not looked up in {', '.join(read_by)}"


def test_the_proof_tells_a_read_from_a_mere_mention():
    assert read_in("deemed_receipt.paper", ("domain.procedures._cn_patent",))  # f-string + literal "paper"
    assert not read_in("deemed_receipt.fax", ("domain.procedures._cn_patent",))  # no literal "fax" there
    assert read_in("time_limit.maintenance_third_with_grace", ("domain.procedures.us_utility",))
    assert not read_in("time_limit.publication", ("domain.procedures.us_utility",))


def test_every_non_informative_packaged_parameter_is_registered():
    # load_rules refuses an unregistered parameter unless informative: the packaged files pass it.
    for jurisdiction in READ_BY_CODE:
        names = set(load_rules(jurisdiction).names)
        assert set(READ_BY_CODE[jurisdiction]) <= names
