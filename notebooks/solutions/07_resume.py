alice, bob, carol, dan = accounts.list_accounts()
accounts.deposit(alice, Decimal("25.00"))
accounts.transfer(alice, bob, Decimal("25.00"))
accounts.set_overdraft_limit(carol, Decimal("100.00"))
resume_after = ledger.recorder.max_tracking_id(accounts.name)
after = accounts.recorder.select_notifications(start=resume_after, limit=100, inclusive_of_start=False)
pending = [type(accounts.mapper.to_domain_event(notification)).__name__ for notification in after]
