-- Staff roles besides the owner; token_version ends every access token of a user at once
-- (disable, password reset, logout everywhere) without a token blacklist.
alter table users drop constraint users_role_check;
alter table users add constraint users_role_check
    check (role in ('owner', 'admin', 'cashier', 'technician', 'reseller'));
alter table users add column token_version integer not null default 0;
alter table users add column last_login_at timestamptz;
