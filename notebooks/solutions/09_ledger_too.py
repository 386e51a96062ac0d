ledger_too = only_accounts | {
    "LEDGERSERVICE_CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
    "LEDGERSERVICE_CIPHER_KEY": AESCipher.create_key(num_bytes=32),
}
