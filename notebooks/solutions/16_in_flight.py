def in_flight(accounts, transfers, transfer_ids):
    def done(transfer_id, step):
        receipt_id = Receipt.create_id(transfer_id, step)
        return receipt_id in accounts.repository and accounts.repository.get(receipt_id).refusal == ""

    return sum(
        transfers.get_transfer(transfer_id).amount
        for transfer_id in transfer_ids
        if done(transfer_id, "debit") and not (done(transfer_id, "credit") or done(transfer_id, "refund"))
    )
