snapshot = next(iter(accounts.snapshots.get(alice, desc=True, limit=1, lte=75)))
snapshot_version = snapshot.originator_version
replayed = len(list(accounts.events.get(alice, gt=snapshot_version, lte=75)))
