"""ID tokens the product must refuse, made with the provider's real signing key (or deliberately without it):
the negative cases of issue #22's OIDC tests. Plain PyJWT + cryptography, no Django, so both the test process
(tests/support/oidc.py) and the provider process (its token endpoint's "next ID token" switch) use it.

Each mutation takes a valid ID token (as the provider issued it) and returns the bad one:
- "tampered": a claim changed (`email`, `sub`) after signing; the signature no longer matches;
- "wrong_key": re-signed by a key the provider never published, under the provider's `kid`;
- "alg_none": the same claims with `alg: none` and no signature;
- "wrong_nonce", "expired" (exp and iat in the past beyond the allowed ±60 s), "wrong_audience",
  "wrong_issuer", "not_yet_valid" (iat 10 min in the future): re-signed with the provider's real key, so only
  the product's claim checks can refuse them.
"""

from __future__ import annotations

import base64
import json
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

MUTATIONS = (
    "tampered",
    "wrong_key",
    "alg_none",
    "wrong_nonce",
    "expired",
    "wrong_audience",
    "wrong_issuer",
    "not_yet_valid",
)


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode("ascii")


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem.encode("ascii"), password=None)


def private_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict:
    """The key as a JWK with its private members (what a test may sign with)."""
    jwk = json.loads(RSAAlgorithm.to_jwk(key))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def claims_of(token: str) -> dict:
    """The claims, unverified (a test reading what it is about to break)."""
    return jwt.decode(token, options={"verify_signature": False})


def sign(claims: dict, key: rsa.RSAPrivateKey, kid: str) -> str:
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def mutate(token: str, mutation: str, key: rsa.RSAPrivateKey, kid: str) -> str:
    """`token` made bad in the way `mutation` names (see the module docstring)."""
    if mutation not in MUTATIONS:
        raise ValueError(f"unknown ID token mutation {mutation!r}; one of {MUTATIONS}")
    claims = claims_of(token)
    now = int(time.time())
    if mutation == "tampered":
        header, _payload, signature = token.split(".")
        changed = {**claims, "email": "intruder@example.com", "sub": f"{claims.get('sub', '')}-intruder"}
        return ".".join([header, _b64(json.dumps(changed).encode()), signature])
    if mutation == "wrong_key":
        return sign(claims, new_private_key(), kid)
    if mutation == "alg_none":
        header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
        return f"{header}.{_b64(json.dumps(claims).encode())}."
    if mutation == "wrong_nonce":
        claims["nonce"] = "a-nonce-this-client-never-sent"
    elif mutation == "expired":
        claims["iat"] = now - 900
        claims["exp"] = now - 120  # beyond the ±60 s the product tolerates
    elif mutation == "wrong_audience":
        claims["aud"] = "another-client"
    elif mutation == "wrong_issuer":
        claims["iss"] = "http://127.0.0.1:9/not-the-issuer"
    elif mutation == "not_yet_valid":
        claims["iat"] = now + 600
        claims["nbf"] = now + 600
        claims["exp"] = now + 1200
    return sign(claims, key, kid)
