chained = System(pipes=[[AccountService, LedgerService, TransactionLogService]])
draw_system(chained)
print("processors:", chained.processors)
