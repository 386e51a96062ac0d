"""Compressing and encrypting stored events: the library's compressor and
cipher, switched on by environment variables like any other setting.

The mapper turns an event into JSON bytes, then compresses them, then
encrypts them (compressing after encrypting would gain nothing: encrypted
bytes look random). Reading undoes the steps in reverse order.
"""

from eventsourcing.cryptography import AESCipher

COMPRESSOR_TOPIC = "eventsourcing.compressor:ZlibCompressor"
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"


def new_cipher_key() -> str:
    """A new random 256-bit AES key, base64-encoded as `CIPHER_KEY` expects.

    Keep it secret and keep it safe: whoever has it can read every event,
    and without it nobody can.
    """
    return AESCipher.create_key(num_bytes=32)


def mapper_env(*, compress: bool = False, cipher_key: str | None = None) -> dict[str, str]:
    """Environment variables that make an application compress (zlib) and/or
    encrypt (AES in GCM mode) the state of every event and snapshot it stores.

    Combine them with `persistence_env(...)`: `persistence_env("sqlite", folder) | mapper_env(...)`.
    """
    env = {}
    if compress:
        env["COMPRESSOR_TOPIC"] = COMPRESSOR_TOPIC
    if cipher_key:
        env["CIPHER_TOPIC"] = CIPHER_TOPIC
        env["CIPHER_KEY"] = cipher_key
    return env
