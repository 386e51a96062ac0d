from typing import ClassVar


class Every10(AccountService):
    snapshotting_intervals: ClassVar = {Account: 10}


service = Every10(env=persistence_env("memory"))
dave = service.open_account("Dave")
for _ in range(35):
    service.deposit(dave, Decimal("1.00"))
versions = [snapshot.originator_version for snapshot in service.snapshots.get(dave)]
