"""The chat platforms' callback security, as their documents give it (pure: bytes and text in, bytes and text out).

Feishu (事件与回调 → 安全校验 / 加密):
- signature: X-Lark-Signature = hex(SHA-256(timestamp + nonce + encrypt_key + raw body)), with the
  X-Lark-Request-Timestamp and X-Lark-Request-Nonce headers;
- body {"encrypt": base64(IV(16) + AES-256-CBC(key = SHA-256(encrypt_key), PKCS#7))}.
WeCom (加解密方案说明):
- msg_signature = hex(SHA-1(the token, timestamp, nonce and Encrypt, sorted and joined));
- Encrypt = base64(AES-256-CBC(key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes, PKCS#7 padded to a
  multiple of 32) of random(16) + len(msg) as 4 bytes big-endian + msg + receiveid (the corp id)).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class BadPayload(Exception):
    """A signature that does not match, or a payload that does not decrypt to what the platform sends."""


def _aes_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    if not data or len(data) % 16:
        raise BadPayload("not whole AES blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def _unpad(data: bytes, block: int) -> bytes:
    pad = data[-1] if data else 0
    if not 1 <= pad <= block or data[-pad:] != bytes([pad]) * pad:
        raise BadPayload("bad padding")
    return data[:-pad]


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadPayload("not base64") from None


def constant_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


# --- Feishu ---------------------------------------------------------------------------------------------------------
def feishu_signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256(timestamp.encode() + nonce.encode() + encrypt_key.encode() + body).hexdigest()


def feishu_signed(timestamp: str, nonce: str, encrypt_key: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(feishu_signature(timestamp, nonce, encrypt_key, body), signature or "")


def feishu_decrypt(encrypt: str, encrypt_key: str) -> str:
    raw = _b64(encrypt)
    if len(raw) < 32:
        raise BadPayload("too short")
    key = hashlib.sha256(encrypt_key.encode()).digest()
    plain = _unpad(_aes_cbc_decrypt(key, raw[:16], raw[16:]), 16)
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise BadPayload("not UTF-8") from None


# --- WeCom ----------------------------------------------------------------------------------------------------------
def wecom_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def wecom_signed(token: str, timestamp: str, nonce: str, encrypt: str, signature: str) -> bool:
    return hmac.compare_digest(wecom_signature(token, timestamp, nonce, encrypt), signature or "")


def wecom_key(encoding_aes_key: str) -> bytes:
    key = _b64(encoding_aes_key + "=")
    if len(key) != 32:
        raise BadPayload("EncodingAESKey is not 43 characters of base64")
    return key


def wecom_decrypt(encrypt: str, encoding_aes_key: str, receive_id: str) -> str:
    """The message inside `Encrypt` (or an echostr), checked to be for `receive_id` (our corp id)."""
    key = wecom_key(encoding_aes_key)
    plain = _unpad(_aes_cbc_decrypt(key, key[:16], _b64(encrypt)), 32)
    if len(plain) < 20:
        raise BadPayload("too short")
    (length,) = struct.unpack(">I", plain[16:20])
    message, receiver = plain[20 : 20 + length], plain[20 + length :]
    if len(message) != length or not hmac.compare_digest(receiver, receive_id.encode()):
        raise BadPayload("not for this company")
    try:
        return message.decode("utf-8")
    except UnicodeDecodeError:
        raise BadPayload("not UTF-8") from None
