-- API access: tokens with a role. Only the SHA-256 hash of a token is kept; the token itself is
-- shown once, when it is created (`relance tokens create`).
create schema if not exists access;
comment on schema access is 'API tokens and their roles (hashes only)';

create table access.api_tokens (
  token_id text primary key,
  name text not null,
  role text not null check (role in ('agent', 'lead', 'it', 'analyst')),
  token_hash text not null unique,        -- hex SHA-256 of the token
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
comment on table access.api_tokens is 'One row per API token: who holds it, its role, the hash of the token, revocation';
