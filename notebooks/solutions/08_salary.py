bob_account = version_2.get_account(bob)
bob_account.credit(Decimal("20.00"), reference="salary")
version_2.save(bob_account)
bob_references = version_2.get_account(bob).references
