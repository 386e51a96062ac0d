rebuilt = None
for recorded in accounts.events.get(alice):
    rebuilt = recorded.mutate(rebuilt)
