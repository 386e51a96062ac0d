snapshot = next(accounts.snapshots.get(alice, desc=True, limit=1))
rebuilt, applied = snapshot.mutate(None), 0
for event in accounts.events.get(alice, gt=snapshot.originator_version):
    rebuilt = event.mutate(rebuilt)
    applied += 1
print(f"from the snapshot at version {snapshot.originator_version}, {applied} events: version {rebuilt.version}")
