"""The bank's rules enforced as decisions over tagged events (bank.dcb): by
hand, with the library's Slice, and followed by a projection."""

from decimal import Decimal

import pytest
from eventsourcing.dcb.api import DCBQuery, DCBQueryItem
from eventsourcing.dcb.domain import Selector
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import ProjectionRunner
from hypothesis import given
from hypothesis import strategies as st

from bank import (
    AccountClosedError,
    AccountNotFoundError,
    BalanceNotZeroError,
    InsufficientFundsError,
    InvalidAmountError,
    InvalidOwnerError,
    SameAccountTransferError,
    persistence_env,
)
from bank.variants.dcb import (
    AccountOpened,
    Balances,
    BalancesView,
    DCBBank,
    MoneyTransferred,
    Transfer,
    boundary_query,
)


@pytest.fixture
def dcb():
    """Alice with 100.00, Bob with 0.00 and a 50.00 overdraft."""
    bank = DCBBank()
    alice = bank.open_account("Alice")
    bob = bank.open_account("Bob", overdraft_limit=Decimal("50.00"))
    bank.deposit(alice, Decimal("100.00"))
    return bank, alice, bob


def event_count(bank: DCBBank) -> int:
    return len(list(bank.recorder.read()))


def test_an_opened_account_has_an_owner_a_limit_and_no_money():
    bank = DCBBank()
    account = bank.get_account(bank.open_account("Carol", Decimal("20")))
    assert (account.owner, account.overdraft_limit, account.balance) == ("Carol", Decimal("20.00"), Decimal("0.00"))


def test_deposits_and_withdrawals_change_the_balance(dcb):
    bank, alice, _ = dcb
    bank.withdraw(alice, Decimal("30.00"))
    assert bank.get_balance(alice) == Decimal("70.00")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("0.001"), 1.5, "10", True])
def test_bad_amounts_are_refused_and_record_nothing(dcb, amount):
    bank, alice, bob = dcb
    before = event_count(bank)
    for command in (bank.deposit, bank.withdraw):
        with pytest.raises(InvalidAmountError):
            command(alice, amount)
    with pytest.raises(InvalidAmountError):
        bank.transfer(alice, bob, amount)
    assert event_count(bank) == before


def test_an_owner_must_be_named():
    with pytest.raises(InvalidOwnerError):
        DCBBank().open_account("  ")


def test_withdrawing_past_the_overdraft_limit_is_refused(dcb):
    bank, alice, bob = dcb
    bank.withdraw(bob, Decimal("50.00"))  # down to the limit exactly
    before = event_count(bank)
    with pytest.raises(InsufficientFundsError):
        bank.withdraw(bob, Decimal("0.01"))
    with pytest.raises(InsufficientFundsError):
        bank.withdraw(alice, Decimal("100.01"))
    assert event_count(bank) == before
    assert bank.get_balance(bob) == Decimal("-50.00")


def test_commands_on_an_unknown_account_are_refused(dcb):
    bank, alice, _ = dcb
    with pytest.raises(AccountNotFoundError):
        bank.deposit("account-nobody", Decimal("1.00"))
    with pytest.raises(AccountNotFoundError):
        bank.transfer(alice, "account-nobody", Decimal("1.00"))
    with pytest.raises(AccountNotFoundError):
        bank.get_balance("account-nobody")


def test_a_transfer_is_one_event_tagged_with_both_accounts(dcb):
    bank, alice, bob = dcb
    bank.transfer(alice, bob, Decimal("30.00"))
    last = list(bank.events.read())[-1]
    assert last.decision == MoneyTransferred(alice, bob, Decimal("30.00"))
    assert last.tags == [alice, bob]
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("70.00"), Decimal("30.00"))


def test_a_refused_transfer_changes_neither_account(dcb):
    bank, alice, bob = dcb
    before = event_count(bank)
    with pytest.raises(InsufficientFundsError):
        bank.transfer(bob, alice, Decimal("50.01"))
    with pytest.raises(SameAccountTransferError):
        bank.transfer(alice, alice, Decimal("1.00"))
    assert event_count(bank) == before
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("100.00"), Decimal("0.00"))


def test_a_concurrent_conflicting_decision_is_refused_by_the_append_condition(dcb):
    bank, alice, _ = dcb
    first = bank.decide_withdrawal(alice, Decimal("80.00"))
    second = bank.decide_withdrawal(alice, Decimal("80.00"))  # also read balance 100.00
    bank.append(first)
    with pytest.raises(IntegrityError):
        bank.append(second)
    assert bank.get_balance(alice) == Decimal("20.00")


def test_a_transfer_conflicts_with_a_concurrent_withdrawal_from_its_source(dcb):
    bank, alice, bob = dcb
    transfer = bank.decide_transfer(alice, bob, Decimal("80.00"))
    bank.withdraw(alice, Decimal("80.00"))
    with pytest.raises(IntegrityError):
        bank.append(transfer)
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("20.00"), Decimal("0.00"))


def test_concurrent_deposits_do_not_conflict(dcb):
    # A deposit reads only the account's opening: nothing a deposit appends
    # is inside another deposit's boundary.
    bank, alice, _ = dcb
    first = bank.decide_deposit(alice, Decimal("1.00"))
    second = bank.decide_deposit(alice, Decimal("2.00"))
    bank.append(first)
    bank.append(second)
    assert bank.get_balance(alice) == Decimal("103.00")


def test_a_deposit_to_the_destination_does_not_conflict_with_a_transfer(dcb):
    bank, alice, bob = dcb
    transfer = bank.decide_transfer(alice, bob, Decimal("10.00"))
    bank.deposit(bob, Decimal("5.00"))
    bank.append(transfer)
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("90.00"), Decimal("15.00"))


def test_accounts_are_listed_in_opening_order_by_a_query_on_the_event_type(dcb):
    bank, alice, bob = dcb
    assert bank.list_accounts() == [alice, bob]


def test_events_are_stored_as_json_with_their_tags(dcb):
    bank, alice, _ = dcb
    query = DCBQuery(items=[DCBQueryItem(types=["bank.variants.dcb:MoneyDeposited"], tags=[alice])])
    (stored,) = bank.recorder.read(query)
    assert stored.event.data == (
        b'{"account_id":"' + alice.encode() + b'","amount":{"_type_":"decimal_str","_data_":"100.00"}}'
    )


def test_a_closed_account_takes_no_deposit_withdrawal_or_transfer(dcb):
    bank, alice, bob = dcb
    bank.close_account(bob)
    before = event_count(bank)
    for command in (
        lambda: bank.deposit(bob, Decimal("1.00")),
        lambda: bank.withdraw(bob, Decimal("1.00")),
        lambda: bank.transfer(alice, bob, Decimal("1.00")),
        lambda: bank.transfer(bob, alice, Decimal("1.00")),
        lambda: bank.close_account(bob),
    ):
        with pytest.raises(AccountClosedError):
            command()
    assert event_count(bank) == before
    assert bank.get_account(bob).is_closed


def test_only_an_empty_account_can_be_closed(dcb):
    bank, alice, _ = dcb
    with pytest.raises(BalanceNotZeroError):
        bank.close_account(alice)
    assert not bank.get_account(alice).is_closed


def test_a_deposit_decided_before_a_closing_is_refused_by_the_append_condition(dcb):
    # The deposit's boundary holds the account's closing: a closing appended
    # after the deposit read is a conflict.
    bank, _, bob = dcb
    deposit = bank.decide_deposit(bob, Decimal("5.00"))
    bank.close_account(bob)
    with pytest.raises(IntegrityError):
        bank.append(deposit)
    assert bank.get_balance(bob) == Decimal("0.00")


def test_a_closing_decided_before_a_deposit_is_refused_by_the_append_condition(dcb):
    bank, _, bob = dcb
    closing = bank.decide_closing(bob)
    bank.deposit(bob, Decimal("5.00"))
    with pytest.raises(IntegrityError):
        bank.append(closing)
    assert not bank.get_account(bob).is_closed


def test_commands_return_the_position_of_the_event_they_appended(dcb):
    bank, alice, bob = dcb
    assert bank.transfer(alice, bob, Decimal("1.00")) == event_count(bank) == 4
    assert bank.withdraw(alice, Decimal("1.00")) == 5


def test_a_boundary_query_reads_the_events_of_the_boundary(dcb):
    bank, alice, bob = dcb
    bank.transfer(alice, bob, Decimal("30.00"))
    positions = [e.position for e in bank.recorder.read(boundary_query([Selector(tags=[alice])]))]
    opening = [e.position for e in bank.recorder.read(boundary_query([Selector(types=[AccountOpened], tags=[bob])]))]
    assert (positions, opening) == ([1, 3, 4], [2])


def test_the_transfer_slice_moves_money_like_the_hand_written_transfer(dcb):
    bank, alice, bob = dcb
    done = bank.do(Transfer(alice, bob, Decimal("30.00")))
    assert done.new_decisions == []  # appended
    last = list(bank.events.read())[-1]
    assert (last.decision, last.tags) == (MoneyTransferred(alice, bob, Decimal("30.00")), [alice, bob])
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("70.00"), Decimal("30.00"))


def test_the_transfer_slice_reads_incoming_transfers_of_its_source(dcb):
    bank, alice, bob = dcb
    bank.transfer(alice, bob, Decimal("20.00"))
    bank.do(Transfer(bob, alice, Decimal("70.00")))  # 20.00 in, 50.00 overdraft
    assert bank.get_balance(bob) == Decimal("-50.00")
    with pytest.raises(InsufficientFundsError):
        bank.do(Transfer(bob, alice, Decimal("0.01")))


@pytest.mark.parametrize(
    ("source", "destination", "amount", "error"),
    [
        ("bob", "alice", "50.01", InsufficientFundsError),
        ("alice", "alice", "1.00", SameAccountTransferError),
        ("alice", "nobody", "1.00", AccountNotFoundError),
        ("alice", "bob", "0.001", InvalidAmountError),
    ],
)
def test_the_transfer_slice_refuses_what_the_bank_refuses(dcb, source, destination, amount, error):
    bank, alice, bob = dcb
    ids = {"alice": alice, "bob": bob, "nobody": "account-nobody"}
    before = event_count(bank)
    with pytest.raises(error):
        bank.do(Transfer(ids[source], ids[destination], Decimal(amount)))
    assert event_count(bank) == before


def test_the_transfer_slice_refuses_a_closed_destination(dcb):
    bank, alice, bob = dcb
    bank.close_account(bob)
    with pytest.raises(AccountClosedError):
        bank.do(Transfer(alice, bob, Decimal("1.00")))


def test_the_transfer_slice_conflicts_with_a_concurrent_withdrawal_from_its_source(dcb):
    bank, alice, bob = dcb
    transfer = bank.repository.advance(Transfer(alice, bob, Decimal("80.00")))
    transfer.execute()
    bank.withdraw(alice, Decimal("80.00"))
    with pytest.raises(IntegrityError):
        bank.repository.save(transfer)
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("20.00"), Decimal("0.00"))


def test_a_projection_runner_follows_the_dcb_bank_into_the_balances_view():
    with ProjectionRunner(application_class=DCBBank, projection_class=Balances, view_class=BalancesView) as runner:
        bank = runner.app
        alice, bob = bank.open_account("Alice"), bank.open_account("Bob")
        bank.deposit(alice, Decimal("100.00"))
        bank.do(Transfer(alice, bob, Decimal("30.00")))
        runner.wait(bank.withdraw(bob, Decimal("10.00")), timeout=10)
        assert (runner.view.get_balance(alice), runner.view.get_balance(bob)) == (Decimal("70.00"), Decimal("20.00"))
        assert runner.view.max_tracking_id(bank.name) == 5


def test_the_balances_view_applies_an_event_once():
    view = BalancesView()
    view.add({"a": Decimal("5.00")}, Tracking("DCBBank", 3))
    with pytest.raises(IntegrityError):
        view.add({"a": Decimal("5.00")}, Tracking("DCBBank", 3))
    assert view.get_balance("a") == Decimal("5.00")
    assert view.get_balance("b") == Decimal("0.00")


commands = st.lists(
    st.tuples(
        st.sampled_from(["deposit", "withdraw", "transfer"]),
        st.integers(0, 2),
        st.integers(0, 2),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("80"), places=2),
    ),
    max_size=15,
)


@given(commands)
def test_money_is_conserved_and_no_balance_goes_past_its_limit(steps):
    bank = DCBBank()
    limits = [Decimal("0"), Decimal("50"), Decimal("10")]
    ids = [bank.open_account(f"Owner {i}", limit) for i, limit in enumerate(limits)]
    deposited = Decimal("0")
    for name, i, j, amount in steps:
        try:
            if name == "transfer":
                bank.transfer(ids[i], ids[j], amount)
            else:
                getattr(bank, name)(ids[i], amount)
        except (InsufficientFundsError, SameAccountTransferError):
            continue
        deposited += {"deposit": amount, "withdraw": -amount, "transfer": 0}[name]
    balances = [bank.get_balance(account_id) for account_id in ids]
    assert sum(balances) == deposited
    assert all(balance >= -limit for balance, limit in zip(balances, limits, strict=True))


def test_the_dcb_bank_runs_on_postgresql(postgres_url):
    # The library's PostgreSQL DCB recorder, in the default schema: in 9.5.6 its
    # tags table refers to the events table without the schema name, so a
    # POSTGRES_SCHEMA other than the default fails to create the tables.
    env = persistence_env("postgres", postgres_url) | {"PERSISTENCE_MODULE": "eventsourcing.dcb.postgres_tt"}
    with DCBBank(env=env) as bank:
        alice = bank.open_account("Alice")
        bob = bank.open_account("Bob")
        bank.deposit(alice, Decimal("100.00"))
        bank.transfer(alice, bob, Decimal("30.00"))
        first = bank.decide_withdrawal(alice, Decimal("50.00"))
        second = bank.decide_withdrawal(alice, Decimal("50.00"))
        bank.append(first)
        with pytest.raises(IntegrityError):
            bank.append(second)
    with DCBBank(env=env) as restarted:
        assert restarted.list_accounts() == [alice, bob]
        assert (restarted.get_balance(alice), restarted.get_balance(bob)) == (Decimal("20.00"), Decimal("30.00"))
