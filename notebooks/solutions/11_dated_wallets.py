class DatedWalletService(WalletService):
    def register_transcodings(self, transcoder):
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
