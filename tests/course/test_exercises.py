"""The exercises' self-checks: a verdict that says what went wrong, never a traceback."""

from decimal import Decimal

from course.exercises import PASSED, check


def verdict(capsys, test, hint=None) -> str:
    assert check(test, hint) is None
    return capsys.readouterr().out.strip()


def test_check_passes_when_the_test_does_not_fail(capsys):
    assert verdict(capsys, lambda: None) == PASSED
    assert verdict(capsys, lambda: sum([1, 1]) == 2) == PASSED


def test_a_failed_assert_shows_the_comparison_and_the_values_it_saw(capsys):
    balance_at_3 = Decimal("30.00")

    def failing():
        assert balance_at_3 == Decimal("40.00")

    assert verdict(capsys, failing) == (
        "Not yet: balance_at_3 == Decimal('40.00') is false: balance_at_3 is Decimal('30.00')"
    )


def test_a_lambda_returning_false_shows_its_comparison_and_the_values_it_saw(capsys):
    answer = 41
    assert verdict(capsys, lambda: answer == 42) == "Not yet: answer == 42 is false: answer is 41"


def test_every_operand_that_is_not_a_literal_is_shown(capsys):
    owner, names = "Bob", ["Alice"]

    def failing():
        assert owner.upper() in [name.upper() for name in names] + ["CAROL"]

    assert verdict(capsys, failing) == (
        "Not yet: owner.upper() in [name.upper() for name in names] + ['CAROL'] is false: "
        "owner.upper() is 'BOB', [name.upper() for name in names] + ['CAROL'] is ['ALICE', 'CAROL']"
    )


def test_the_lambda_that_failed_is_found_among_several_on_one_line(capsys):
    first, second = 1, 2
    tests = [lambda: first == 1, lambda: second == 3]
    assert verdict(capsys, tests[1]) == "Not yet: second == 3 is false: second is 2"


def test_the_assert_that_failed_is_found_in_a_helper_the_test_calls(capsys):
    def same_total(amounts, total):
        assert sum(amounts) == total

    assert (
        verdict(capsys, lambda: same_total([1, 2], 4))
        == "Not yet: sum(amounts) == total is false: sum(amounts) is 3, total is 4"
    )


def test_a_long_value_is_shortened_to_one_line_of_80_characters(capsys):
    rows = list(range(100))

    def failing():
        assert rows == []

    shown = verdict(capsys, failing).removeprefix("Not yet: rows == [] is false: rows is ")
    assert shown.startswith("[0, 1, 2, ")
    assert shown.endswith("...")
    assert len(shown) == 80


def test_a_failed_assert_that_is_no_comparison_is_shown_as_false(capsys):
    total = "12.50"

    def failing():
        assert isinstance(total, Decimal)

    assert verdict(capsys, failing) == "Not yet: isinstance(total, Decimal) is false"


def test_a_missing_answer_asks_to_run_the_exercise_cell_first(capsys):
    assert verdict(capsys, lambda: undefined_answer) == (  # noqa: F821
        "Not yet: `undefined_answer` is not defined yet: run your exercise cell first."
    )


def test_any_other_error_is_shown_in_one_line_with_its_type(capsys):
    def failing():
        raise ValueError("no account named Dora\n(and a second line)")

    assert verdict(capsys, failing) == "Not yet: ValueError: no account named Dora"


def test_the_hint_follows_on_a_second_line(capsys):
    assert verdict(capsys, lambda: {}["balance"], "look it up by id") == (
        "Not yet: KeyError: 'balance'\nHint: look it up by id"
    )


def test_without_a_readable_source_the_hint_is_the_verdict(capsys):
    namespace = {}
    exec(compile("def typed():\n    assert 1 == 2\n", "<typed>", "exec"), namespace)
    assert verdict(capsys, namespace["typed"], "one is not two") == "Not yet: one is not two"
    assert verdict(capsys, namespace["typed"]) == "Not yet: the self-check failed."


def test_a_value_that_cannot_be_shown_is_left_out(capsys):
    class Unprintable:
        def __repr__(self):
            raise RuntimeError("no repr")

    value = Unprintable()
    assert verdict(capsys, lambda: value == 1) == "Not yet: value == 1 is false"


def test_a_failed_assert_with_a_message_shows_the_message_too(capsys):
    owner = "Bob"

    def failing():
        assert owner == "Alice", "open Alice's account first"

    assert verdict(capsys, failing) == "Not yet: owner == 'Alice' is false: owner is 'Bob' (open Alice's account first)"
