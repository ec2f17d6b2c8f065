"""The envelope encryption's parts (cccc/crypto.py), one by one and without the database:
key rings, data keys, tokens and the blind index. tests/cccc/test_encryption.py tests them
through the models."""

import base64
import hashlib
import hmac

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from cccc import crypto

KEY_A = b"a" * 32
KEY_B = b"b" * 32
DATA_KEY = b"d" * 32


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


RING = crypto.parse_key_ring(f"new:{b64(KEY_A)}, old:{b64(KEY_B)}")


# --- the master key ring ------------------------------------------------------------------


def test_a_key_ring_is_read_newest_first_and_skips_empty_entries():
    ring = crypto.parse_key_ring(f" , new:{b64(KEY_A)},,old:{b64(KEY_B)} ,")
    assert ring.keys == (("new", KEY_A), ("old", KEY_B))
    assert ring.primary_id == "new"
    assert (ring.get("new"), ring.get("old")) == (KEY_A, KEY_B)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "^FIELD_ENCRYPTION_KEYS holds no key.$"),
        (" , ", "^FIELD_ENCRYPTION_KEYS holds no key.$"),
        ("nocolon", "^FIELD_ENCRYPTION_KEYS entries must look like 'key-id:base64key'.$"),
        (f":{b64(KEY_A)}", "^FIELD_ENCRYPTION_KEYS entries must look like 'key-id:base64key'.$"),
        ("k:abc", "^Master key 'k' is not valid base64.$"),
        (f"k:{b64(b'short')}", "^Master key 'k' must be 32 bytes, not 5.$"),
        (f"k:{b64(KEY_A)},k:{b64(KEY_B)}", "^Master key id 'k' appears twice.$"),
    ],
)
def test_a_malformed_key_ring_stops_with_its_reason(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_key_ring(value)


def test_the_key_id_ends_at_the_first_colon():
    encoded = b64(KEY_A)
    ring = crypto.parse_key_ring(f"k:{encoded[:20]}:{encoded[20:]}")
    assert ring.keys == (("k", KEY_A),)


def test_a_key_id_not_in_the_ring_is_a_decryption_error_that_names_it():
    with pytest.raises(crypto.DecryptionError) as raised:
        RING.get("gone")
    assert str(raised.value) == (
        "Master key 'gone' is not in FIELD_ENCRYPTION_KEYS; "
        "was it retired before every data key was re-wrapped?"
    )


def test_the_ring_in_use_is_the_settings_one():
    with override_settings(FIELD_ENCRYPTION_KEYS=f"x:{b64(KEY_B)}"):
        assert crypto.key_ring().keys == (("x", KEY_B),)


def test_a_new_master_key_entry_is_a_well_formed_ring_of_one_fresh_key():
    first = crypto.parse_key_ring(crypto.new_master_key_entry("k2"))
    second = crypto.parse_key_ring(crypto.new_master_key_entry("k2"))
    assert first.primary_id == "k2"
    assert len(first.get("k2")) == 32
    assert first.get("k2") != second.get("k2")


# --- data keys ------------------------------------------------------------------------------


def test_a_data_key_is_256_random_bits():
    assert len(crypto.new_data_key()) == 32
    assert crypto.new_data_key() != crypto.new_data_key()


def test_a_data_key_is_wrapped_by_the_newest_master_key_and_unwraps():
    master_id, wrapped = crypto.wrap_data_key(DATA_KEY, RING)
    assert master_id == "new"
    assert len(wrapped) == crypto.NONCE_BYTES + 32 + 16  # nonce, key, tag
    assert DATA_KEY not in wrapped
    assert crypto.unwrap_data_key("new", wrapped, RING) == DATA_KEY


def test_wrapping_uses_the_settings_ring_when_given_none():
    with override_settings(FIELD_ENCRYPTION_KEYS=f"s:{b64(KEY_B)}"):
        master_id, wrapped = crypto.wrap_data_key(DATA_KEY)
        assert master_id == "s"
        assert crypto.unwrap_data_key("s", wrapped) == DATA_KEY


def test_a_wrapped_key_under_another_master_key_is_a_decryption_error():
    _, wrapped = crypto.wrap_data_key(DATA_KEY, RING)
    with pytest.raises(crypto.DecryptionError) as raised:
        crypto.unwrap_data_key("old", wrapped, RING)
    assert str(raised.value) == (
        "Data key does not open with master key 'old': wrong key material."
    )


def test_a_wrapped_key_is_bound_to_its_purpose():
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = b"n" * crypto.NONCE_BYTES
    other_purpose = nonce + AESGCM(KEY_A).encrypt(nonce, DATA_KEY, b"something else")
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_data_key("new", other_purpose, RING)


# --- tokens ---------------------------------------------------------------------------------


def seal(value: bytes = b"secret", *, key_id: int = 7, context: str = "adult.last_name") -> str:
    return crypto.seal(value, key=DATA_KEY, data_key_id=key_id, context=context)


def test_a_token_names_its_format_and_data_key_and_opens():
    token = seal(b"Hollis")
    prefix, key_id, blob = token.split(":")
    assert (prefix, key_id) == ("v1", "7")
    assert len(base64.b64decode(blob)) == crypto.NONCE_BYTES + len(b"Hollis") + 16
    assert crypto.token_data_key_id(token) == 7
    opened = crypto.open_token(token, key=DATA_KEY, data_key_id=7, context="adult.last_name")
    assert opened == b"Hollis"


def test_the_data_key_id_is_the_second_field_whatever_follows():
    assert crypto.token_data_key_id("v1:42:YWJj:ZGVm") == 42
    assert crypto.token_data_key_id("v1:42") == 42


def test_two_seals_of_one_value_differ():
    assert seal() != seal()


@pytest.mark.parametrize(
    "token", ["plaintext", "v1", "v1:", "v1::abc", "v1:x7:abc", "v2:7:abc", "V1:7:abc", ":7:abc"]
)
def test_a_token_without_the_format_or_a_data_key_id_is_not_a_token(token):
    with pytest.raises(crypto.DecryptionError) as raised:
        crypto.token_data_key_id(token)
    assert str(raised.value) == (
        "Stored value is not an encrypted token (plaintext in the database?)"
    )


def test_a_token_sealed_under_another_data_key_is_refused_and_says_so():
    with pytest.raises(crypto.DecryptionError) as raised:
        crypto.open_token(seal(key_id=7), key=DATA_KEY, data_key_id=8, context="adult.last_name")
    assert str(raised.value) == "Value was sealed under data key 7, not this record's key 8."


@pytest.mark.parametrize("blob", ["!!!!", "abc", "YWJj\n", "", "YWJjZA==YWJj"])
def test_a_malformed_base64_token_is_a_decryption_error(blob):
    with pytest.raises(crypto.DecryptionError) as raised:
        crypto.open_token(f"v1:7:{blob}", key=DATA_KEY, data_key_id=7, context="c")
    assert str(raised.value) == ("Value does not open with data key 7 (wrong key or altered data).")


def test_a_token_with_characters_outside_base64_is_refused_even_if_the_rest_would_open():
    token = seal(context="c")
    prefix, key_id, blob = token.split(":")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_token(f"{prefix}:{key_id}:{blob[:8]}*{blob[8:]}", key=DATA_KEY, data_key_id=7,
                          context="c")  # fmt: skip


@pytest.mark.parametrize(
    ("key", "key_id", "context"),
    [(KEY_A, 7, "adult.last_name"), (DATA_KEY, 7, "adult.first_name")],
)
def test_a_token_opens_only_with_its_own_key_and_context(key, key_id, context):
    token = seal(key_id=7, context="adult.last_name")
    with pytest.raises(crypto.DecryptionError, match="does not open"):
        crypto.open_token(token, key=key, data_key_id=key_id, context=context)


def test_the_data_key_id_is_bound_into_the_token_not_only_named_by_it():
    token = seal(key_id=7)
    moved = token.replace("v1:7:", "v1:8:", 1)
    with pytest.raises(crypto.DecryptionError, match="does not open"):
        crypto.open_token(moved, key=DATA_KEY, data_key_id=8, context="adult.last_name")


# --- the blind index ------------------------------------------------------------------------


def test_the_blind_index_ignores_case_and_spacing_only():
    assert crypto.normalise_for_index("  Ó  Briain\tSMITH \n") == "ó briain smith"
    assert crypto.blind_index("surname", "o'brien") == crypto.blind_index("surname", "O'BRIEN ")
    assert crypto.blind_index("surname", "obrien") != crypto.blind_index("surname", "o'brien")


@override_settings(BLIND_INDEX_KEY="index-key")
def test_the_blind_index_is_a_keyed_hash_of_the_purpose_and_the_value():
    expected = hmac.new(b"index-key", b"surname\x00smith", hashlib.sha256).hexdigest()
    assert crypto.blind_index("surname", "Smith") == expected
    assert crypto.blind_index("first_name", "Smith") != expected


# --- a value held for a moment (a search term in a session) -----------------------------------


def test_a_transient_value_opens_again_and_its_token_hides_it():
    token = crypto.seal_transient("Holloway", context="family search")
    assert "holloway" not in token.lower()
    assert token != crypto.seal_transient("Holloway", context="family search")  # a new nonce
    assert crypto.open_transient(token, context="family search") == "Holloway"


def test_a_transient_value_is_sealed_under_a_key_of_its_own_from_the_blind_index_key(settings):
    token = crypto.seal_transient("Holloway", context="family search")
    label = b"cccc transient values"
    derived = hmac.new(settings.BLIND_INDEX_KEY.encode(), label, hashlib.sha256).digest()
    opened = crypto.open_token(token, key=derived, data_key_id=0, context="family search")
    assert opened == b"Holloway"
    settings.BLIND_INDEX_KEY = settings.BLIND_INDEX_KEY + "-changed"
    with pytest.raises(crypto.DecryptionError):
        crypto.open_transient(token, context="family search")


def test_a_transient_value_opens_only_in_its_own_context_and_nothing_else_opens_as_one():
    token = crypto.seal_transient("Holloway", context="family search")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_transient(token, context="another use")
    record = crypto.seal(b"Holloway", key=DATA_KEY, data_key_id=0, context="family search")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_transient(record, context="family search")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_transient("Holloway", context="family search")
