class SavingsJar(PiggyBank):
    minimum = Decimal("0.00")

    def take(self, amount):
        if self.balance - amount < self.minimum:
            raise ValueError(f"cannot take {amount}: at least {self.minimum} stays in the jar")
        self._taken(amount)

    @event
    def _taken(self, amount):
        self.balance -= amount
