-- The certificate the owner trusted for a router's api-ssl service: its SHA-256 (lowercase hex,
-- as RouterOS prints it). Only that certificate is accepted; another one (a replaced or
-- intercepted certificate) is refused until the owner trusts it. Cleared when the address, port
-- or TLS setting changes.
alter table routers
    add column tls_fingerprint text
        constraint routers_tls_fingerprint_hex check (tls_fingerprint ~ '^[0-9a-f]{64}$');
