with EventSourcedProjectionRunner(
    application_class=AccountService, projection_class=TransactionLogService, env=persistence_env("memory")
) as runner:
    erin, frank = runner.app.open_account("Erin"), runner.app.open_account("Frank")
    runner.app.deposit(erin, Decimal("50.00"))
    runner.app.transfer(erin, frank, Decimal("20.00"))
    runner.wait(runner.app.recorder.max_notification_id(), timeout=10)
    kinds = [entry.kind for entry in runner.projection.get_transactions()]
