t2_receipts = []
for step in ("debit", "credit", "refund"):
    receipt = accounts.repository.get(Receipt.create_id(ids[1], step))
    t2_receipts.append((receipt.step, receipt.refusal))
