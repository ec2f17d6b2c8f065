"""Envelope encryption for personal data (SPEC §4), written on `cryptography`.

- A *master key ring* comes from the environment (FIELD_ENCRYPTION_KEYS) and never enters the
  database: "id:base64key" entries, newest first. The newest wraps new data keys; older ones
  only unwrap until `manage.py rewrap_data_keys` has moved every data key off them.
- Each family and each volunteer has its own random 256-bit *data key*, stored wrapped
  (AES-GCM) by a master key together with that master key's ID. Destroying the data key row
  makes every copy of the record's ciphertext unreadable (crypto-shredding).
- Values are sealed with AES-256-GCM under the data key. The token names the data key it was
  sealed under, and the data key's id and the field name are bound in as associated data: a
  token copied into another family's or volunteer's record, or into a differently named
  column, fails to open instead of leaking. Not bound (a known limit): the row. Someone able
  to write the database directly could swap two same-named values within one family (say
  two parents' addresses), and they would open; the per-record history (simple_history)
  and the access log are what show such a change.
- Decryption never guesses: a wrong, missing or destroyed key raises DecryptionError.
"""

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "v1"  # noqa: S105 - a format version, not a secret
NONCE_BYTES = 12
_WRAP_AAD = b"cccc data key"


class DecryptionError(Exception):
    """A value could not be decrypted. Never swallowed into returning ciphertext."""


class DataKeyDestroyed(DecryptionError):
    """The record's data key has been destroyed: its values are gone for good."""


@dataclass(frozen=True)
class MasterKeyRing:
    keys: tuple[tuple[str, bytes], ...]

    @property
    def primary_id(self) -> str:
        return self.keys[0][0]

    def get(self, key_id: str) -> bytes:
        for kid, key in self.keys:
            if kid == key_id:
                return key
        raise DecryptionError(
            f"Master key {key_id!r} is not in FIELD_ENCRYPTION_KEYS; "
            "was it retired before every data key was re-wrapped?"
        )


def parse_key_ring(value: str) -> MasterKeyRing:
    """Parse "id:base64,id:base64" (newest first). Raises ImproperlyConfigured if malformed."""
    entries: list[tuple[str, bytes]] = []
    for raw in value.split(","):
        raw = raw.strip()
        if not raw:
            continue
        kid, sep, b64 = raw.partition(":")
        if not sep or not kid:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS entries must look like 'key-id:base64key'."
            )
        try:
            key = base64.urlsafe_b64decode(b64.encode())
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(f"Master key {kid!r} is not valid base64.") from exc
        if len(key) != 32:
            raise ImproperlyConfigured(f"Master key {kid!r} must be 32 bytes, not {len(key)}.")
        if any(kid == seen for seen, _ in entries):
            raise ImproperlyConfigured(f"Master key id {kid!r} appears twice.")
        entries.append((kid, key))
    if not entries:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key.")
    return MasterKeyRing(tuple(entries))


@lru_cache(maxsize=4)
def _ring_for(value: str) -> MasterKeyRing:
    return parse_key_ring(value)


def key_ring() -> MasterKeyRing:
    return _ring_for(settings.FIELD_ENCRYPTION_KEYS)


def ring_entry(key_id: str, key: bytes) -> str:
    """One "id:base64key" entry of FIELD_ENCRYPTION_KEYS."""
    return f"{key_id}:{base64.urlsafe_b64encode(key).decode()}"


def new_master_key_entry(key_id: str) -> str:
    return ring_entry(key_id, os.urandom(32))


# --- data keys ------------------------------------------------------------------------------


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(data_key: bytes, ring: MasterKeyRing | None = None) -> tuple[str, bytes]:
    """Return (master key id, nonce + ciphertext) for storing a data key."""
    ring = ring or key_ring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.get(ring.primary_id)).encrypt(nonce, data_key, _WRAP_AAD)
    return ring.primary_id, nonce + sealed


def unwrap_data_key(master_key_id: str, wrapped: bytes, ring: MasterKeyRing | None = None) -> bytes:
    ring = ring or key_ring()
    master = ring.get(master_key_id)
    try:
        return AESGCM(master).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _WRAP_AAD)
    except InvalidTag as exc:
        raise DecryptionError(
            f"Data key does not open with master key {master_key_id!r}: wrong key material."
        ) from exc


# --- values ---------------------------------------------------------------------------------


def _aad(data_key_id: int, context: str) -> bytes:
    return f"{TOKEN_PREFIX}|{data_key_id}|{context}".encode()


def seal(plaintext: bytes, *, key: bytes, data_key_id: int, context: str) -> str:
    """Encrypt under a data key; the token is 'v1:<data key id>:<base64 nonce+ciphertext>'."""
    return Sealer(key, data_key_id).seal(plaintext, context)


class Sealer:
    """`seal` for many values under one data key, the cipher set up once (bulk writers such
    as the benchmark generators; each token is exactly what `seal` makes)."""

    def __init__(self, key: bytes, data_key_id: int) -> None:
        self.aead, self.data_key_id = AESGCM(key), data_key_id
        self.prefix = f"{TOKEN_PREFIX}:{data_key_id}:"

    def seal(self, plaintext: bytes, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.aead.encrypt(nonce, plaintext, _aad(self.data_key_id, context))
        return self.prefix + base64.b64encode(nonce + sealed).decode()


def token_data_key_id(token: str) -> int:
    prefix, _, rest = token.partition(":")
    key_id, _, _ = rest.partition(":")
    if prefix != TOKEN_PREFIX or not key_id.isdigit():
        raise DecryptionError("Stored value is not an encrypted token (plaintext in the database?)")
    return int(key_id)


def open_token(token: str, *, key: bytes, data_key_id: int, context: str) -> bytes:
    sealed_under = token_data_key_id(token)
    if sealed_under != data_key_id:
        raise DecryptionError(
            f"Value was sealed under data key {sealed_under}, not this record's key {data_key_id}."
        )
    try:
        blob = base64.b64decode(token.rsplit(":", 1)[1].encode(), validate=True)
        return AESGCM(key).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(data_key_id, context)
        )
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise DecryptionError(
            f"Value does not open with data key {data_key_id} (wrong key or altered data)."
        ) from exc


# --- blind index ----------------------------------------------------------------------------


def normalise_for_index(value: str) -> str:
    return " ".join(value.split()).casefold()


def blind_index(purpose: str, value: str) -> str:
    """Keyed HMAC-SHA256 of a normalised value, for exact-match search without plaintext.

    The purpose ("surname", ...) is mixed in so equal values in different fields differ.
    """
    message = f"{purpose}\x00{normalise_for_index(value)}".encode()
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# --- a value held for a moment ----------------------------------------------------------------


def _transient_key() -> bytes:
    # Derived from the blind-index key, for what search holds between two requests (a term in
    # a session row): never under a record's data key, since it belongs to no record.
    label = b"cccc transient values"
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), label, hashlib.sha256).digest()


def seal_transient(value: str, *, context: str) -> str:
    """Seal a value that must not sit in the database as plaintext, even for a moment (a
    search term kept in the session between the search and its results)."""
    return seal(value.encode(), key=_transient_key(), data_key_id=0, context=context)


def open_transient(token: str, *, context: str) -> str:
    """Open what seal_transient sealed; DecryptionError for anything else."""
    return open_token(token, key=_transient_key(), data_key_id=0, context=context).decode()
