"""How deep a JSON text nests, counted on arrays: the same depth as a scan bracket by
bracket, strings skipped, whatever the text (valid JSON or not)."""

import random
import re

import pytest

from parsers.limits import json_depth

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def scanned_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("alphabet", ['[]{}"\\\n a,:é', '[]{}"\n a,:é\ud800', '[[{{"]}'])
def test_the_depth_is_the_bracket_by_bracket_depth_of_any_text(alphabet):
    rng = random.Random(sum(map(ord, alphabet)))
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert json_depth(text) == scanned_depth(text), repr(text)


def test_brackets_inside_strings_do_not_count():
    assert json_depth('{"a": "[[[[", "b": [1, "}}"]}') == 2
    assert json_depth('{"a": "\\"[[", "b": []}') == 2
