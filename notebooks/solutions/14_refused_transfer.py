before = bank.accounts.recorder.max_notification_id()
page.account.label, page.to_account.label, page.amount.value = "2 · Bob", "1 · Alice", "1000"
page.transfer_button.click()
refusal = page.message.value
recorded = bank.accounts.recorder.max_notification_id() - before
