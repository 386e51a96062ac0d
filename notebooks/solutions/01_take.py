from eventsourcing.domain import event


class SavingsJar(PiggyBank):
    def take(self, amount):
        if amount > self.balance:
            raise ValueError(f"cannot take {amount}: the balance is {self.balance}")
        self._taken(amount)

    @event("Taken")
    def _taken(self, amount):
        self.balance -= amount
