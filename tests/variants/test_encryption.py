"""Events stored compressed and/or encrypted read back the same; the
stored bytes hide the plain text; the wrong key cannot read them."""

import json
import zlib
from base64 import b64decode
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing import persistence
from eventsourcing.persistence import MapperDeserialisationError
from eventsourcing.utils import TopicError, resolve_topic

from bank import Account, AccountService, EventSourcedBank
from bank.variants.encryption import CIPHER_TOPIC, COMPRESSOR_TOPIC, mapper_env, new_cipher_key

NONCE_AND_TAG = 12 + 16  # bytes AES-GCM adds to each stored state


@pytest.fixture
def credit() -> Account.Credited:
    return Account.Credited(
        originator_id=uuid4(),
        originator_version=2,
        timestamp=datetime(2025, 1, 31, 9, 30, tzinfo=UTC),
        amount=Decimal("100.00"),
    )


def stored_state(env: dict[str, str], event) -> bytes:
    return AccountService(env=env).mapper.to_stored_event(event).state


def test_a_new_key_is_256_random_bits():
    first, second = new_cipher_key(), new_cipher_key()
    assert len(b64decode(first)) == 32
    assert first != second


def test_mapper_env_sets_only_what_is_asked_for():
    assert mapper_env() == {}
    assert mapper_env(compress=True) == {"COMPRESSOR_TOPIC": COMPRESSOR_TOPIC}
    env = mapper_env(cipher_key="k")
    assert env["CIPHER_KEY"] == "k"
    assert "COMPRESSOR_TOPIC" not in env


def test_compressed_state_is_the_json_compressed(credit):
    plain = stored_state({}, credit)
    compressed = stored_state(mapper_env(compress=True), credit)
    assert json.loads(plain)["amount"]["_data_"] == "100.00"
    assert zlib.decompress(compressed) == plain
    assert len(compressed) < len(plain)


def test_encryption_adds_a_nonce_and_a_tag(credit):
    key = new_cipher_key()
    plain = stored_state({}, credit)
    compressed = stored_state(mapper_env(compress=True), credit)
    assert len(stored_state(mapper_env(cipher_key=key), credit)) == len(plain) + NONCE_AND_TAG
    assert len(stored_state(mapper_env(compress=True, cipher_key=key), credit)) == len(compressed) + NONCE_AND_TAG


def test_the_same_event_encrypts_differently_each_time(credit):
    env = mapper_env(cipher_key=new_cipher_key())
    assert stored_state(env, credit) != stored_state(env, credit)


@pytest.mark.parametrize(
    "options", [{"compress": True}, {"cipher_key": "new"}, {"compress": True, "cipher_key": "new"}]
)
def test_the_bank_works_the_same_with_every_option(sqlite_env, options):
    if options.get("cipher_key"):
        options["cipher_key"] = new_cipher_key()
    env = sqlite_env | mapper_env(**options)
    accounts = AccountService(env=env)
    alice = accounts.open_account("Alice")
    accounts.deposit(alice, Decimal("100.00"))
    accounts.withdraw(alice, Decimal("30.00"))
    accounts.close()
    again = AccountService(env=env)
    assert again.get_account(alice).owner == "Alice"
    assert again.get_balance(alice) == Decimal("70.00")
    states = [n.state for n in again.recorder.select_notifications(start=None, limit=10)]
    assert len(states) == 3
    assert not any(b"Alice" in state for state in states)


@pytest.mark.parametrize(("encrypted", "visible"), [(False, True), (True, False)])
def test_encrypted_events_are_not_readable_in_the_database_file(sqlite_env, encrypted, visible):
    cipher_key = new_cipher_key() if encrypted else None
    accounts = AccountService(env=sqlite_env | mapper_env(cipher_key=cipher_key))
    accounts.open_account("Alice Secret")
    accounts.close()
    database = sqlite_env["ACCOUNTSERVICE_SQLITE_DBNAME"]
    with open(database, "rb") as file:
        assert (b"Alice Secret" in file.read()) is visible


def test_a_tampered_state_is_refused(credit):
    service = AccountService(env=mapper_env(cipher_key=new_cipher_key()))
    stored = service.mapper.to_stored_event(credit)
    damaged = bytearray(stored.state)
    damaged[-1] ^= 1
    with pytest.raises(MapperDeserialisationError, match="Invalid cipher tag"):
        service.mapper.to_domain_event(replace(stored, state=bytes(damaged)))


def test_the_wrong_key_cannot_read_the_events(sqlite_env):
    accounts = AccountService(env=sqlite_env | mapper_env(cipher_key=new_cipher_key()))
    alice = accounts.open_account("Alice")
    accounts.close()
    intruder = AccountService(env=sqlite_env | mapper_env(cipher_key=new_cipher_key()))
    with pytest.raises(MapperDeserialisationError, match="Invalid cipher tag"):
        intruder.get_account(alice)


def test_the_bank_names_the_cipher_of_the_cryptography_package():
    service = AccountService(env=mapper_env(cipher_key=new_cipher_key()))
    assert CIPHER_TOPIC == "eventsourcing.cryptography:AESCipher"
    assert type(service.mapper.cipher).__module__ == "eventsourcing.cryptography"


def test_the_key_alone_asks_for_the_library_default_cipher_built_on_pycryptodome(monkeypatch):
    asked = []

    def resolve(topic: str):
        asked.append(topic)
        if topic.endswith(":AESCipher"):
            raise TopicError(topic)
        return resolve_topic(topic)

    monkeypatch.setattr(persistence, "resolve_topic", resolve)
    with pytest.raises(TopicError):
        AccountService(env={"CIPHER_KEY": new_cipher_key()})
    assert asked[-1] == "eventsourcing.cipher:AESCipher"


def is_json(state: bytes) -> bool:
    try:
        json.loads(state)
    except ValueError:
        return False
    return True


def test_settings_named_for_one_service_encrypt_that_service_only(sqlite_env):
    only_accounts = {"ACCOUNTSERVICE_CIPHER_TOPIC": CIPHER_TOPIC, "ACCOUNTSERVICE_CIPHER_KEY": new_cipher_key()}
    with EventSourcedBank(sqlite_env | only_accounts) as bank:
        alice = bank.accounts.open_account("Alice")
        bank.accounts.deposit(alice, Decimal("100.00"))
        bank.wait_for_ledger()
        assert bank.ledger.get_balance() == Decimal("100.00")  # the ledger reads the encrypted events
        readable = {
            app.name: [is_json(n.state) for n in app.recorder.select_notifications(start=None, limit=10)]
            for app in (bank.accounts, bank.ledger, bank.transactions)
        }
    assert readable["AccountService"] == [False, False]
    assert all(readable["LedgerService"])
    assert readable["TransactionLogService"] == [True, True]
