service = Every10(env=persistence_env("memory"))
account_id = service.open_account("Erin")
for _ in range(35):
    service.deposit(account_id, Decimal("1.00"))
replayed = []
for version in range(1, 37):
    with counting_reads(service) as reads:
        service.get_account(account_id, version=version)
    replayed.append(reads.events)

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot(range(1, 37), replayed, marker=".")
ax.set(xlabel="version read", ylabel="events replayed", title="A snapshot every 10 events: at most 9 replayed")
plt.show()
