"""SafeSystem builds the applications the bank's runners run: the same
classes (names, tables, topics) with a mixin for each role."""

from bank import AccountService, LedgerService
from bank.safe_system import RecordsInOrder, SafeApplication, ToleratesConflicts, safe
from bank.system import bank_system
from bank.transaction_log import TransactionLogService


def test_a_follower_keeps_its_name_and_the_topics_it_follows():
    ledger = safe(LedgerService)
    assert issubclass(ledger, ToleratesConflicts)
    assert ledger.name == "LedgerService"
    assert ledger.topics == LedgerService.topics
    assert safe(TransactionLogService).topics == ()


def test_a_leader_records_in_order_and_a_plain_application_is_safe():
    assert issubclass(bank_system.leader_cls("AccountService"), RecordsInOrder)
    assert bank_system.leader_cls("AccountService").name == "AccountService"
    plain = safe(AccountService)
    assert issubclass(plain, SafeApplication)
    assert not issubclass(plain, RecordsInOrder)


def test_the_same_class_is_built_once():
    assert safe(LedgerService) is safe(LedgerService)
    assert bank_system.follower_cls("LedgerService") is safe(LedgerService)
