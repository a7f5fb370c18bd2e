"""What the platforms do to a callback before sending it to the product, written from their documents (not from the
product's code, which only decrypts and checks): Feishu encrypts the body with AES-256-CBC under SHA-256(Encrypt Key)
and signs it with SHA-256(timestamp + nonce + encrypt_key + body); WeCom encrypts random(16) + length + message +
corp id with the EncodingAESKey (PKCS#7 to 32 bytes) and signs with SHA-1 of the sorted token, timestamp, nonce and
Encrypt."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def _cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def feishu_encrypt(plain: str, encrypt_key: str) -> str:
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain.encode()) + padder.finalize()
    return base64.b64encode(iv + _cbc(hashlib.sha256(encrypt_key.encode()).digest(), iv, data)).decode()


def feishu_sign(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


def new_encoding_aes_key() -> str:
    """43 characters: 32 random bytes in base64 without its "=" (as WeCom's console generates it)."""
    return base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def wecom_encrypt(plain: str, encoding_aes_key: str, receive_id: str) -> str:
    key = base64.b64decode(encoding_aes_key + "=")
    message = plain.encode()
    data = os.urandom(16) + struct.pack(">I", len(message)) + message + receive_id.encode()
    pad = 32 - len(data) % 32
    return base64.b64encode(_cbc(key, key[:16], data + bytes([pad]) * pad)).decode()


def wecom_sign(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()
