class Statements(ProcessApplication):
    """A throwaway follower of the ledger."""


statements_system = System(pipes=[[AccountService, LedgerService, Statements]])
draw_system(statements_system)
print("processors:", statements_system.processors)
