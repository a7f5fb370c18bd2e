"""Company sign-in: external identities (LDAP/AD, OIDC, DingTalk, Feishu, WeCom), accounts made at the first
sign-in, directory groups mapped to global roles, and leavers locked out. See ADR 0011 and docs/development.md
("Company sign-in")."""
