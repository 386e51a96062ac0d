"""Each rule of the nbval sanitize file replaces what it should, and only that."""

import re
from pathlib import Path

import pytest

SANITIZE = Path(__file__).resolve().parents[2] / "notebooks" / "nbval_sanitize.cfg"


def rules() -> dict[str, tuple[str, str]]:
    """{section: (regex, replace)} in file order, parsed as nbval parses them."""
    text = SANITIZE.read_text()
    sections = re.findall(r"^\[(.+)\]\n^regex: (.*)$\n^replace: (.*)$", text, re.M)
    return {name: (regex, replace) for name, regex, replace in sections}


EXAMPLES = {
    "timestamp": ("opened 2026-11-26T04:08:06.207001+00:00 ok", "opened TIMESTAMP ok"),
    "uuid": (
        "id UUID('3f2b1c9e-5d4a-4b7e-9c1d-2a3b4c5d6e7f') and 3f2b1c9e5d4a4b7e9c1d2a3b4c5d6e7f",
        "id UUID('UUID') and UUID",
    ),
    "memory address": ("<bank.Account object at 0x7f3a2b1c4d50>", "<bank.Account object at ADDRESS>"),
}


def test_every_rule_has_an_example():
    assert set(rules()) == set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_rule_replaces_its_pattern_with_a_non_empty_word(name):
    regex, replace = rules()[name]
    assert re.fullmatch(r"[A-Z]+", replace)
    before, after = EXAMPLES[name]
    assert re.sub(regex, replace, before) == after


def test_rules_leave_balances_and_versions_alone():
    text = "balance 1234.50 after 120 events, version 2026, notification 12345678"
    for regex, replace in rules().values():
        assert re.sub(regex, replace, text) == text
