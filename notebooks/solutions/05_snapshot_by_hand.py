from typing import ClassVar


class ByHand(AccountService):
    snapshotting_intervals: ClassVar = {}
    is_snapshotting_enabled = True


service = ByHand()
account_id = service.open_account("Dave")
for _ in range(30):
    service.deposit(account_id, Decimal("1.00"))
service.take_snapshot(account_id, version=20)
snapshot_versions = [snapshot.originator_version for snapshot in service.snapshots.get(account_id)]
latest_read = events_read(service, account_id, 31)
print(snapshot_versions, latest_read)
