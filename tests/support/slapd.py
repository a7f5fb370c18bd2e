"""A real OpenLDAP `slapd` for the LDAP tests, on 127.0.0.1 at a free port, with a throwaway directory.

`slapd_server` (one per test session / xdist worker): slapd from Debian's package started from a slapd.conf in a
temporary folder (mdb database `dc=example,dc=com`, the memberof and ppolicy overlays), a self-signed certificate
made here for STARTTLS (`ldap://`) and LDAPS (`ldaps://`), a read-only service account. `directory` (per test):
the entries loaded afresh — people under ou=people (OpenLDAP style: uid, entryUUID, groupOfNames groups) and
under ou=staff (Active Directory style: sAMAccountName, userAccountControl, department, a binary objectGUID,
from a small schema that declares just those AD attributes) — and the settings pointing the app at it.

Without /usr/sbin/slapd (`apt-get install slapd ldap-utils`) the tests that use it are skipped with that reason;
under CI (CI=true) they fail instead, so CI never passes without them.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SLAPD = os.environ.get("SLAPD_PATH") or "/usr/sbin/slapd"
MODULES = "/usr/lib/ldap"
SCHEMAS = "/etc/ldap/schema"
BASE = "dc=example,dc=com"
ADMIN_DN, ADMIN_PASSWORD = f"cn=admin,{BASE}", "admin-secret-1"
READER_DN, READER_PASSWORD = f"cn=reader,{BASE}", "reader-secret-1"
PEOPLE, STAFF, GROUPS = f"ou=people,{BASE}", f"ou=staff,{BASE}", f"ou=groups,{BASE}"

SKIP_REASON = "slapd is not installed (apt-get install slapd ldap-utils): the LDAP tests are skipped"

AD_SCHEMA = """
attributetype ( 1.3.6.1.4.1.99999.1.1 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.99999.1.2 NAME 'userAccountControl' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.99999.1.3 NAME 'department' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.99999.1.4 NAME 'objectGUID' EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.99999.2.1 NAME 'adLikeUser' AUXILIARY
  MAY ( sAMAccountName $ userAccountControl $ department $ objectGUID ) )
"""


def slapd_available() -> bool:
    return Path(SLAPD).exists()


def require_slapd() -> None:
    if slapd_available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{SLAPD} is missing: CI must run the LDAP tests (.ci/run installs slapd).", pytrace=False)
    pytest.skip(SKIP_REASON)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A CA-less self-signed certificate for 127.0.0.1 / localhost (cryptography, from the dev requirements)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.crt", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class Slapd:
    folder: Path
    port: int
    tls_port: int
    ca_file: Path
    process: subprocess.Popen | None = None
    log: list[str] = field(default_factory=list)

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_uri(self) -> str:
        return f"ldaps://127.0.0.1:{self.tls_port}"

    def start(self) -> None:
        log = open(self.folder / "slapd.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [SLAPD, "-f", str(self.folder / "slapd.conf"), "-h", f"{self.uri}/ {self.ldaps_uri}/", "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd exited: {(self.folder / 'slapd.log').read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("slapd did not start listening within 20 s")

    def stop(self) -> None:
        """Stop the server (the directory's files stay: start() brings it back with its data)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # slapd's clean shutdown
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    # --- writing the directory as its administrator -------------------------------------------------------
    def admin(self):
        import ldap3

        conn = ldap3.Connection(ldap3.Server(self.uri, get_info=ldap3.NONE), ADMIN_DN, ADMIN_PASSWORD, auto_bind=True)
        return conn


def write_config(folder: Path, port: int, tls_port: int) -> Slapd:
    (folder / "data").mkdir()
    cert, key = _self_signed(folder)
    (folder / "ad-like.schema").write_text(AD_SCHEMA)
    includes = "\n".join(f"include {SCHEMAS}/{name}.schema" for name in ("core", "cosine", "inetorgperson", "nis"))
    (folder / "slapd.conf").write_text(
        f"""{includes}
include {folder}/ad-like.schema
modulepath {MODULES}
moduleload back_mdb
moduleload memberof
moduleload ppolicy
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
password-hash {{SSHA}}

database mdb
suffix "{BASE}"
rootdn "{ADMIN_DN}"
rootpw {ADMIN_PASSWORD}
directory {folder}/data
maxsize 33554432
index objectClass eq
index uid,sAMAccountName,mail eq
index entryUUID eq
index member eq
overlay memberof
overlay ppolicy
access to attrs=userPassword by self write by anonymous auth by dn.exact="{READER_DN}" none by * none
access to * by dn.exact="{READER_DN}" read by self read by users read by * none
"""
    )
    return Slapd(folder=folder, port=port, tls_port=tls_port, ca_file=cert)


@dataclass(frozen=True)
class Person:
    uid: str
    password: str
    cn: str
    mail: str = ""
    department: str = ""
    groups: tuple[str, ...] = ()
    ad_like: bool = False  # under ou=staff with sAMAccountName / userAccountControl / objectGUID

    @property
    def dn(self) -> str:
        return f"{'cn=' + self.cn if self.ad_like else 'uid=' + self.uid},{STAFF if self.ad_like else PEOPLE}"


PEOPLE_SEED = (
    Person("zhangsan", "Zs-pass-2025", "张三", "zhangsan@example.com", "市场部", ("marketing",)),
    Person("lisi", "Ls-pass-2025", "李四", "lisi@example.com", "财务部", ("finance",)),
    Person("wangwu", "Ww-pass-2025", "王五", "wangwu@example.com", "市场部", ("marketing-directors", "finance")),
    Person("zhaoliu", "Zl-pass-2025", "赵六", "zhaoliu@example.com", "销售部", ()),
    Person("admin", "Ad-pass-2025", "目录管理员", "it-admin@example.com", "信息部", ()),
    Person("adzhou", "Az-pass-2025", "周七", "zhouqi@example.com", "Finance Dept", ("finance",), ad_like=True),
)
GROUP_NAMES = ("finance", "marketing-directors", "marketing")


class Directory:
    """The test directory's content, rewritten for each test."""

    def __init__(self, server: Slapd):
        self.server = server
        self.guids: dict[str, uuid.UUID] = {}

    def reset(self) -> None:
        conn = self.server.admin()
        try:
            for base in (GROUPS, PEOPLE, STAFF):
                if conn.search(base, "(objectClass=*)", attributes=[]):
                    for entry in sorted(conn.entries, key=lambda e: -len(e.entry_dn)):
                        conn.delete(entry.entry_dn)
            if not conn.search(BASE, "(objectClass=*)", search_scope="BASE", attributes=[]):
                conn.add(BASE, ["dcObject", "organization"], {"dc": "example", "o": "Example 公司"})
            for ou in ("people", "staff", "groups"):
                conn.add(f"ou={ou},{BASE}", ["organizationalUnit"], {"ou": ou})
            if not conn.search(READER_DN, "(objectClass=*)", search_scope="BASE", attributes=[]):
                conn.add(READER_DN, ["organizationalRole", "simpleSecurityObject"], {"userPassword": READER_PASSWORD})
            for person in PEOPLE_SEED:
                self.add_person(person, conn=conn)
            for group in GROUP_NAMES:
                # groupOfNames needs a member: the service account stays in each, so the last person can leave
                members = [READER_DN, *(p.dn for p in PEOPLE_SEED if group in p.groups)]
                conn.add(f"cn={group},{GROUPS}", ["groupOfNames"], {"cn": group, "member": members})
        finally:
            conn.unbind()

    def add_person(self, person: Person, *, conn=None) -> None:
        own = conn is None
        conn = conn or self.server.admin()
        try:
            attrs = {"cn": person.cn, "sn": person.cn[:1] or person.uid, "displayName": person.cn}
            if person.mail:
                attrs["mail"] = person.mail
            if person.ad_like:
                guid = self.guids.setdefault(person.uid, uuid.uuid4())
                attrs.update(
                    sAMAccountName=person.uid,
                    userAccountControl=512,
                    objectGUID=guid.bytes_le,
                    **({"department": person.department} if person.department else {}),
                )
                classes = ["inetOrgPerson", "adLikeUser"]
            else:
                attrs.update(uid=person.uid, **({"departmentNumber": person.department} if person.department else {}))
                classes = ["inetOrgPerson"]
            if not conn.add(person.dn, classes, attrs):
                raise AssertionError(f"add {person.dn} failed: {conn.result}")
            conn.extend.standard.modify_password(person.dn, new_password=person.password)
        finally:
            if own:
                conn.unbind()

    def person(self, uid: str) -> Person:
        return next(p for p in PEOPLE_SEED if p.uid == uid)

    def modify(self, dn: str, changes: dict) -> None:
        conn = self.server.admin()
        try:
            if not conn.modify(dn, changes):
                raise AssertionError(f"modify {dn} failed: {conn.result}")
        finally:
            conn.unbind()

    def set_password(self, uid: str, password: str) -> None:
        """What `ldappasswd` does: the Password Modify extended operation, as the directory's administrator."""
        conn = self.server.admin()
        try:
            if not conn.extend.standard.modify_password(self.person(uid).dn, new_password=password):
                raise AssertionError(f"password change of {uid} failed: {conn.result}")
        finally:
            conn.unbind()

    def remove_from_group(self, uid: str, group: str) -> None:
        import ldap3

        self.modify(f"cn={group},{GROUPS}", {"member": [(ldap3.MODIFY_DELETE, [self.person(uid).dn])]})

    def delete(self, uid: str) -> None:
        conn = self.server.admin()
        try:
            if not conn.delete(self.person(uid).dn):
                raise AssertionError(f"delete {uid} failed: {conn.result}")
        finally:
            conn.unbind()

    def entry_uuid(self, uid: str) -> str:
        conn = self.server.admin()
        try:
            conn.search(self.person(uid).dn, "(objectClass=*)", search_scope="BASE", attributes=["entryUUID"])
            return str(conn.entries[0].entryUUID.value)
        finally:
            conn.unbind()


def ldap_settings(server: Slapd, **extra) -> dict:
    """The app's settings for the test directory (OpenLDAP style)."""
    return {
        "LDAP_URI": server.uri,
        "LDAP_START_TLS": False,
        "LDAP_CA_FILE": str(server.ca_file),
        "LDAP_BIND_DN": READER_DN,
        "LDAP_BIND_PASSWORD": READER_PASSWORD,
        "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_USER_FILTER": "(uid=%(user)s)",
        "LDAP_GROUP_SEARCH_BASE": GROUPS,
        **extra,
    }


@pytest.fixture(scope="session")
def slapd_server(tmp_path_factory):
    require_slapd()
    folder = tmp_path_factory.mktemp("slapd")
    server = write_config(folder, _free_port(), _free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def directory(slapd_server, settings):
    """The test directory with its people and groups, and the app configured for it (OpenLDAP style)."""
    if slapd_server.process is None or slapd_server.process.poll() is not None:
        slapd_server.start()  # a test stopped it ("server down")
    content = Directory(slapd_server)
    content.reset()
    for name, value in ldap_settings(slapd_server).items():
        setattr(settings, name, value)
    yield content
