ledger_too = only_accounts | {"LEDGERSERVICE_CIPHER_TOPIC": CIPHER_TOPIC, "LEDGERSERVICE_CIPHER_KEY": new_cipher_key()}
