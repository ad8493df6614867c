"""The vocabulary loader and the shared text helpers."""

import pytest

from plancompare.errors import InputError
from plancompare.parse import vocabulary
from plancompare.parse.text import to_simplified


@pytest.mark.parametrize("traditional, simplified", [
    ("學前教育毛入園率達到90%以上", "学前教育毛入园率达到90%以上"),
    ("超過85%，萬人", "超过85%，万人"),
    ("義務教育鞏固率", "义务教育巩固率"),
    ("already simplified 教育", "already simplified 教育"),
])
def test_to_simplified_keeps_length(traditional, simplified):
    assert to_simplified(traditional) == simplified
    assert len(to_simplified(traditional)) == len(traditional)


def test_missing_vocabulary_file_names_it():
    with pytest.raises(InputError, match="no vocabulary file 'nope'"):
        vocabulary.load("nope")


def test_bad_values_are_rejected():
    assert list(vocabulary._check({"a": ["x", 1], "b": {"c": 2.0}, "d": "ok"}, "")) == [
        "a holds a non-string item", "b.c is a float"]
