"""Path transforms: fractribution's documented examples and its SQL definitions."""

import pytest

from socialroi.attribution.paths import (
    TRANSFORMS,
    apply_transforms,
    join_path,
    split_path,
    strip_frequency_count,
    transform_path,
    transform_path_summary,
)

EXAMPLE = list("DABBCDCC")  # the example in fractribution's path_transforms.sql


@pytest.mark.parametrize(
    ("transform", "expected"),
    [
        ("unique", list("DABBCDCC")),
        ("exposure", list("DABCDC")),
        ("first", list("DABC")),
        ("frequency", ["D(2)", "A(1)", "B(2)", "C(3)"]),
    ],
)
def test_fractribution_examples(transform: str, expected: list[str]) -> None:
    assert transform_path(EXAMPLE, transform) == expected


def test_remove_if_not_all() -> None:
    assert transform_path(list("DADBD"), "remove_if_not_all", channel="D") == ["A", "B"]
    assert transform_path(list("DDD"), "remove_if_not_all", channel="D") == list("DDD")


def test_remove_if_last_and_not_all() -> None:
    got = transform_path(list("DADBDD"), "remove_if_last_and_not_all", channel="D")
    assert got == list("DADB")
    assert transform_path(list("DD"), "remove_if_last_and_not_all", channel="D") == ["D", "D"]
    assert transform_path(list("AB"), "remove_if_last_and_not_all", channel="D") == ["A", "B"]


def test_trim_long_path() -> None:
    assert transform_path(list("ABCDE"), "trim_long_path", max_steps=2) == ["D", "E"]
    assert transform_path(list("ABC"), "trim_long_path", max_steps=5) == list("ABC")
    assert transform_path(list("ABC"), "trim_long_path", max_steps=0) == list("ABC")
    assert transform_path(list("ABC"), "trim_long_path") == list("ABC")


def test_settings_pass_through_and_errors() -> None:
    assert transform_path(list("AAB"), "exposure", max_steps=1, channel="A") == ["A", "B"]
    with pytest.raises(ValueError):
        transform_path(["A"], "remove_if_not_all")
    with pytest.raises(ValueError):
        transform_path(["A"], "nope")
    # a channel may hold parentheses: the count is always the last "(n)" (paths.py)
    assert transform_path(["A(1)", "A(1)"], "frequency") == ["A(1)(2)"]
    assert set(TRANSFORMS) >= {"unique", "exposure", "first", "frequency"}


def test_apply_and_summary() -> None:
    assert apply_transforms(list("AABBC"), ["exposure", "trim_long_path"], max_steps=2) == [
        "B",
        "C",
    ]
    rows = [(("A", "A"), 1, 2), (("A",), 3, 4), (("B",), 0, 1)]
    assert transform_path_summary(rows, "exposure") == [(("A",), 4.0, 6.0), (("B",), 0.0, 1.0)]


def test_string_helpers() -> None:
    assert split_path("A > B") == ["A", "B"]
    assert split_path("") == []
    assert join_path(["A", "B"]) == "A > B"
    assert strip_frequency_count("Paid Social(12)") == "Paid Social"
    assert strip_frequency_count("A") == "A"
