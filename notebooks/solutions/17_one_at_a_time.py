import threading


class OneAtATimeAccounts(LockFreeAccounts):
    def __init__(self, env=None):
        super().__init__(env)
        self.lock = threading.Lock()

    def deposit(self, account_id, amount):
        with self.lock:  # recorded and prompted before another deposit records
            super().deposit(account_id, amount)
