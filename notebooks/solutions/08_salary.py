erin = version_3.open_account("Erin")
account = version_3.get_account(erin)
account.credit(Decimal("20.00"), reference="salary")
version_3.save(account)
erin_references = version_3.get_account(erin).references
