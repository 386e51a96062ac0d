"""Given–when–then on events: the past replayed, the new events compared by
class and fields, a refusal checked for its error and for no event."""

from decimal import Decimal

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from bank import Account, AccountClosedError, InsufficientFundsError, InvalidOwnerError
from course.given_when_then import aggregate_topic, describe, given, past_events, show

OPENED = (Account.Opened, {"owner": "Alice", "overdraft_limit": Decimal("0.00")})
CREDITED = (Account.Credited, {"amount": Decimal("100.00")})
DEBITED_30 = (Account.Debited, {"amount": Decimal("30.00")})


class Careless(Aggregate):
    """Triggers an event, then raises: the bug `then_raises` must report."""

    @event("Poked")
    def poke(self) -> None:
        pass

    def poke_and_fail(self) -> None:
        self.poke()
        msg = "failed after the event"
        raise ValueError(msg)


def test_past_events_belong_to_one_aggregate_in_version_order():
    opened, credited = past_events(OPENED, CREDITED)
    assert opened.originator_id == credited.originator_id
    assert [opened.originator_version, credited.originator_version] == [1, 2]
    assert opened.originator_topic == get_topic(Account)
    assert credited.amount == Decimal("100.00")


def test_the_aggregate_class_is_the_one_the_event_class_is_nested_in():
    assert aggregate_topic(Account.Opened) == "bank.account:Account"


def test_given_replays_the_past_into_the_aggregate_with_nothing_pending():
    account = given(OPENED, CREDITED).aggregate
    assert (type(account), account.owner, account.balance, account.version) == (Account, "Alice", Decimal("100.00"), 2)
    assert account.collect_events() == []


def test_then_passes_on_exactly_the_expected_events():
    given(OPENED, CREDITED).when(Account.debit, Decimal("30.00")).then(DEBITED_30)


@pytest.mark.parametrize(
    "expected",
    [
        pytest.param([(Account.Debited, {"amount": Decimal("3.00")})], id="another-field-value"),
        pytest.param([(Account.Credited, {"amount": Decimal("30.00")})], id="another-class"),
        pytest.param([DEBITED_30, DEBITED_30], id="one-more-event"),
        pytest.param([], id="no-event"),
    ],
)
def test_then_fails_on_any_other_events_and_shows_both(expected):
    scenario = given(OPENED, CREDITED).when(Account.debit, Decimal("30.00"))
    with pytest.raises(AssertionError) as failed:
        scenario.then(*expected)
    assert str(failed.value) == (
        f"expected {show(expected)}, but the command triggered [Account.Debited(amount=Decimal('30.00'))]"
    )


def test_ids_versions_and_timestamps_are_compared_only_when_named():
    scenario = given(OPENED, CREDITED).when(Account.debit, Decimal("30.00"))
    scenario.then((Account.Debited, {"amount": Decimal("30.00"), "originator_version": 3}))
    with pytest.raises(AssertionError, match="originator_version=2"):
        scenario.then((Account.Debited, {"amount": Decimal("30.00"), "originator_version": 2}))


def test_then_reports_the_error_of_a_refused_command():
    scenario = given(OPENED).when(Account.debit, Decimal("30.00"))
    with pytest.raises(AssertionError) as failed:
        scenario.then(DEBITED_30)
    assert "but the command raised InsufficientFundsError: cannot debit 30.00" in str(failed.value)


def test_then_raises_returns_the_error_of_a_refused_command():
    error = given(OPENED, (Account.Closed, {})).when(Account.credit, Decimal("5.00")).then_raises(AccountClosedError)
    assert "is closed" in str(error)


def test_then_raises_fails_when_the_command_succeeds():
    scenario = given(OPENED, CREDITED).when(Account.debit, Decimal("30.00"))
    with pytest.raises(AssertionError) as failed:
        scenario.then_raises(InsufficientFundsError)
    assert str(failed.value) == (
        "expected InsufficientFundsError, but the command raised nothing and triggered "
        "[Account.Debited(amount=Decimal('30.00'))]"
    )


def test_then_raises_fails_on_another_error():
    scenario = given(OPENED).when(Account.debit, Decimal("30.00"))
    with pytest.raises(AssertionError, match="expected AccountClosedError, but the command raised InsufficientFunds"):
        scenario.then_raises(AccountClosedError)


def test_then_raises_fails_when_the_command_triggered_an_event_before_raising():
    scenario = given((Careless.Created, {})).when(Careless.poke_and_fail)
    with pytest.raises(AssertionError) as failed:
        scenario.then_raises(ValueError)
    assert str(failed.value) == "ValueError was raised, but the command triggered [Careless.Poked()]"


def test_without_a_past_the_command_creates_the_aggregate():
    given().when(Account.open, "Bob").then((Account.Opened, {"owner": "Bob", "overdraft_limit": Decimal("0.00")}))
    given().when(Account.open, "").then_raises(InvalidOwnerError)


def test_describe_leaves_out_the_metadata_unless_kept():
    events = past_events(OPENED)
    assert describe(events) == [OPENED]
    (_, fields), *_ = describe(events, keep=["originator_version"])
    assert fields == {"owner": "Alice", "overdraft_limit": Decimal("0.00"), "originator_version": 1}
