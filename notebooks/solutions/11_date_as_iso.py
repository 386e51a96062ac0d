class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj):
        return obj.isoformat()

    def decode(self, data):
        return date.fromisoformat(data)
