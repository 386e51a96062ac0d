audit = LedgerService()
audit.follow(accounts.name, accounts.notification_log)
audit.pull_and_process(accounts.name)
