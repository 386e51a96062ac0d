from eventsourcing.application import ProcessingEvent

from bank import Ledger


def test_a_credit_continues_the_ledger():
    ledger_service = LedgerService(env=persistence_env("memory"))
    ledger = Ledger(LedgerService.LEDGER_NAME)
    ledger.add_transaction(Decimal("100.00"))
    ledger.add_transaction(Decimal("-30.00"))
    ledger_service.save(ledger)
    *_, credit = past_events(ALICE_OPENED, credited("20.00"))
    processing_event = ProcessingEvent()
    ledger_service.policy(credit, processing_event)
    assert describe(processing_event.events, keep=["originator_version"]) == [
        (Ledger.TransactionAdded, {"amount": Decimal("20.00"), "originator_version": 4}),
    ]
    assert processing_event.aggregates[ledger.id].balance == Decimal("90.00")
