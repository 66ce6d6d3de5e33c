import pytest

from spcore import strict_yaml
from spcore.strict_yaml import ProblemKind, StrictYamlError


@pytest.mark.parametrize(
    ("text", "kind", "line"),
    [
        ("a: &x 1\nb: *x\n", ProblemKind.ALIAS, 1),
        ("a: 1\nb: 2\na: 3\n", ProblemKind.DUPLICATE_KEY, 3),
        ("a: [1, 2\n", ProblemKind.SYNTAX, 2),
        ("a: " + "[" * 70 + "]" * 70 + "\n", ProblemKind.TOO_DEEP, 1),
    ],
)
def test_each_guard_names_its_kind_and_line(text: str, kind: ProblemKind, line: int) -> None:
    with pytest.raises(StrictYamlError) as refused:
        strict_yaml.load(text)
    assert (refused.value.kind, refused.value.line) == (kind, line)


def test_depth_can_be_left_to_the_caller_but_unparseable_depth_is_still_refused() -> None:
    nested = "a: " + "[" * 70 + "]" * 70 + "\n"
    assert strict_yaml.load(nested, max_depth=None) is not None
    with pytest.raises(StrictYamlError) as refused:
        strict_yaml.load("a: " + "[" * 5000 + "]" * 5000 + "\n", max_depth=None)
    assert refused.value.kind is ProblemKind.TOO_DEEP


def test_safe_subset_only() -> None:
    with pytest.raises(StrictYamlError):
        strict_yaml.load("a: !!python/object/apply:os.system ['true']\n")
    assert strict_yaml.load("a: [1, {b: c}]\n") == {"a": [1, {"b": "c"}]}
