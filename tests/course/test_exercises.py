"""The exercises' self-checks: a verdict, never a traceback."""

from course.exercises import PASSED, check


def verdict(capsys, test) -> str:
    assert check(test, "hint: try again") is None
    return capsys.readouterr().out.strip()


def test_check_passes_when_the_test_does_not_fail(capsys):
    assert verdict(capsys, lambda: None) == PASSED
    assert verdict(capsys, lambda: sum([1, 1]) == 2) == PASSED


def test_check_says_not_yet_on_a_failed_assert_or_a_false_result(capsys):
    answer = 41

    def failing():
        assert answer == 42

    assert verdict(capsys, failing) == "Not yet: hint: try again"
    assert verdict(capsys, lambda: answer == 42) == "Not yet: hint: try again"


def test_check_says_not_yet_when_the_answer_is_missing(capsys):
    assert verdict(capsys, lambda: undefined_answer) == "Not yet: hint: try again"  # noqa: F821
