@dataclass(frozen=True)
class DatedMoney:
    """Money, and the day its exchange rate was fixed (None for money stored before)."""

    amount: Decimal
    currency: str
    fixed_on: date | None = None


class DatedMoneyAsDict(Transcoding):
    type = DatedMoney
    name = "money"  # the name the stored events already carry

    def encode(self, obj):
        data = {"amount": str(obj.amount), "currency": obj.currency}
        if obj.fixed_on is not None:
            data["fixed_on"] = obj.fixed_on.isoformat()
        return data

    def decode(self, data):
        fixed_on = data.get("fixed_on")
        return DatedMoney(Decimal(data["amount"]), data["currency"], fixed_on and date.fromisoformat(fixed_on))
