encrypted = stored["encrypted"]
nonce, tag, ciphertext = encrypted[:12], encrypted[12:28], encrypted[28:]
