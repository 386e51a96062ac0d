from course.probes import counting_reads

queries = {}
for fastforward in ("y", "n"):
    service = AccountService(env={"AGGREGATE_CACHE_FASTFORWARD": fastforward})
    account_id = service.open_account("Heidi")
    service.deposit(account_id, Decimal("1.00"))
    service.get_account(account_id)  # now it is cached
    with counting_reads(service) as reads:
        for _ in range(10):
            service.get_account(account_id)
    queries[fastforward] = reads.event_queries
queries_on, queries_off = queries["y"], queries["n"]
print(queries)
