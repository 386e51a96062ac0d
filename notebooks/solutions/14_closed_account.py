page.owner.value = "Dora"
page.open_button.click()  # the page picks Dora's new account
page.close_button.click()
page.amount.value = "5"
page.credit_button.click()
kinds = [entry.kind for entry in bank.transactions.get_transactions(limit=2, newest_first=True)]
message = page.message.value
