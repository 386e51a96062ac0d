"""The bank's rules as decisions over tagged events (bank.variants.dcb), on the
library's DCB layer: an enduring object, a group, a slice, and a projection."""

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
    Account,
    AccountPair,
    Balances,
    BalancesView,
    DCBBank,
    Deposit,
    Transferred,
    positions_read,
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


def decided(bank: DCBBank, deposit: Deposit) -> Deposit:
    """The first two of `do`'s steps: read the boundary into the slice, decide."""
    bank.repository.advance(deposit)
    deposit.execute()
    return deposit


def test_an_opened_account_has_an_owner_a_limit_and_no_money():
    bank = DCBBank()
    account = bank.get_account(bank.open_account("Carol", Decimal("20")))
    assert (account.owner, account.overdraft_limit, account.balance) == ("Carol", Decimal("20.00"), Decimal("0.00"))


def test_an_account_is_an_enduring_object_tagged_with_its_own_id(dcb):
    bank, alice, _ = dcb
    (opened, deposited) = bank.events.read(Selector(tags=[alice]))
    assert isinstance(bank.get_account(alice), Account)
    assert opened.tags == deposited.tags == [alice]
    assert opened.decision.account_id == alice


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


@pytest.mark.parametrize(
    "command",
    [
        lambda bank, alice: bank.deposit("account-nobody", Decimal("1.00")),
        lambda bank, alice: bank.withdraw("account-nobody", Decimal("1.00")),
        lambda bank, alice: bank.transfer(alice, "account-nobody", Decimal("1.00")),
        lambda bank, alice: bank.transfer("account-nobody", alice, Decimal("1.00")),
        lambda bank, alice: bank.close_account("account-nobody"),
        lambda bank, alice: bank.get_balance("account-nobody"),
    ],
)
def test_commands_on_an_unknown_account_are_refused(dcb, command):
    bank, alice, _ = dcb
    with pytest.raises(AccountNotFoundError):
        command(bank, alice)
    assert event_count(bank) == 3


def test_a_transfer_is_one_event_tagged_with_both_accounts(dcb):
    bank, alice, bob = dcb
    bank.transfer(alice, bob, Decimal("30.00"))
    last = list(bank.events.read())[-1]
    assert last.decision == Transferred(alice, bob, Decimal("30.00"))
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


def test_incoming_transfers_count_towards_the_balance_of_the_source(dcb):
    bank, alice, bob = dcb
    bank.transfer(alice, bob, Decimal("20.00"))
    bank.transfer(bob, alice, Decimal("70.00"))  # 20.00 in, 50.00 overdraft
    assert bank.get_balance(bob) == Decimal("-50.00")
    with pytest.raises(InsufficientFundsError):
        bank.transfer(bob, alice, Decimal("0.01"))


def test_concurrent_withdrawals_the_second_is_refused_by_the_append_condition(dcb):
    bank, alice, _ = dcb
    first, second = bank.get_account(alice), bank.get_account(alice)  # both read balance 100.00
    first.withdraw(Decimal("80.00"))
    second.withdraw(Decimal("80.00"))
    bank.repository.save(first)
    with pytest.raises(IntegrityError):
        bank.repository.save(second)
    assert bank.get_balance(alice) == Decimal("20.00")


def test_a_transfer_conflicts_with_a_concurrent_withdrawal_from_its_source(dcb):
    bank, alice, bob = dcb
    pair = bank.repository.get_group(AccountPair, alice, bob)
    pair.transfer(Decimal("80.00"))
    bank.withdraw(alice, Decimal("80.00"))
    with pytest.raises(IntegrityError):
        bank.repository.save(pair)
    assert (bank.get_balance(alice), bank.get_balance(bob)) == (Decimal("20.00"), Decimal("0.00"))


def test_the_group_reads_all_of_both_accounts_so_a_deposit_to_the_destination_conflicts(dcb):
    # The library's Group: its boundary is the union of its members' (domain.py, Group).
    bank, alice, bob = dcb
    pair = bank.repository.get_group(AccountPair, alice, bob)
    pair.transfer(Decimal("10.00"))
    bank.deposit(bob, Decimal("5.00"))
    with pytest.raises(IntegrityError):
        bank.repository.save(pair)


def test_concurrent_deposits_do_not_conflict(dcb):
    # A deposit reads only the account's opening and closing.
    bank, alice, _ = dcb
    first, second = decided(bank, Deposit(alice, Decimal("1.00"))), decided(bank, Deposit(alice, Decimal("2.00")))
    bank.repository.save(first)
    bank.withdraw(alice, Decimal("3.00"))
    bank.repository.save(second)
    assert bank.get_balance(alice) == Decimal("100.00")


def test_a_deposit_decided_before_a_closing_is_refused_by_the_append_condition(dcb):
    bank, _, bob = dcb
    deposit = decided(bank, Deposit(bob, Decimal("5.00")))
    bank.close_account(bob)
    with pytest.raises(IntegrityError):
        bank.repository.save(deposit)
    assert bank.get_balance(bob) == Decimal("0.00")


def test_a_closing_decided_before_a_deposit_is_refused_by_the_append_condition(dcb):
    bank, _, bob = dcb
    account = bank.get_account(bob)
    account.close()
    bank.deposit(bob, Decimal("5.00"))
    with pytest.raises(IntegrityError):
        bank.repository.save(account)
    assert not bank.get_account(bob).is_closed


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


def test_events_are_stored_as_json_with_their_tags(dcb):
    bank, alice, _ = dcb
    query = DCBQuery(items=[DCBQueryItem(types=["bank.variants.dcb:Deposited"], tags=[alice])])
    (stored,) = bank.recorder.read(query)
    assert stored.event.data == b'{"amount":{"_type_":"decimal_str","_data_":"100.00"}}'


def test_positions_read_are_those_a_boundary_selects(dcb):
    bank, alice, bob = dcb
    bank.transfer(alice, bob, Decimal("30.00"))
    assert positions_read(bank, bank.get_account(alice).consistency_boundary()) == [1, 3, 4]
    assert positions_read(bank, Deposit(bob, Decimal("1.00")).consistency_boundary()) == [2]
    assert positions_read(bank, bank.repository.get_group(AccountPair, bob, alice).consistency_boundary()) == [
        1,
        2,
        3,
        4,
    ]


def test_a_projection_runner_follows_the_dcb_bank_into_the_balances_view():
    with ProjectionRunner(application_class=DCBBank, projection_class=Balances, view_class=BalancesView) as runner:
        bank = runner.app
        alice, bob = bank.open_account("Alice"), bank.open_account("Bob")
        bank.deposit(alice, Decimal("100.00"))
        bank.transfer(alice, bob, Decimal("30.00"))
        bank.withdraw(bob, Decimal("10.00"))
        runner.wait(bank.recorder.read().head, timeout=10)
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
        first, second = bank.get_account(alice), bank.get_account(alice)
        first.withdraw(Decimal("50.00"))
        second.withdraw(Decimal("50.00"))
        bank.repository.save(first)
        with pytest.raises(IntegrityError):
            bank.repository.save(second)
    with DCBBank(env=env) as restarted:
        assert (restarted.get_balance(alice), restarted.get_balance(bob)) == (Decimal("20.00"), Decimal("30.00"))
