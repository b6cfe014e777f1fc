-- Access log (seed §8): sign-ins that succeeded or were refused, sign-outs, token refreshes and
-- sign-ins from an address the account never signed in from before, each with the client's
-- address and user agent. Shown with the activity log and filterable by user.
--
-- Append-only like audit_log: rows are never changed, and the only way one leaves is the
-- retention job, which names in its own transaction (`mikrobill.prune_access_before`) the
-- instant before which rows are past the keeping period; any other delete, and every update
-- or truncate, is refused.
create table access_events (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null,
    -- `login_succeeded`, `login_failed`, `login_new_address`, `logout`, `token_refreshed`.
    kind text not null,
    user_id uuid,
    username text not null,
    -- Why a sign-in was refused: `bad_password`, `unknown_user`, `disabled`, `bad_totp`,
    -- `locked_out`; how a sign-out happened: `session`, `everywhere`.
    reason text,
    remote_addr text,
    user_agent text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint access_events_kind_check check (kind in ('login_succeeded', 'login_failed',
        'login_new_address', 'logout', 'token_refreshed')),
    constraint access_events_username_length check (char_length(username) <= 200),
    constraint access_events_user_agent_length check (char_length(user_agent) <= 200)
);

create index access_events_occurred_at_idx on access_events (occurred_at desc);
create index access_events_username_idx on access_events (username, occurred_at desc);
-- "Has this account signed in from this address before?"
create index access_events_user_addr_idx on access_events (user_id, remote_addr)
    where kind = 'login_succeeded';

create function access_events_refuse_change() returns trigger as $$
declare
    before_text text := nullif(current_setting('mikrobill.prune_access_before', true), '');
begin
    if tg_op = 'DELETE' and before_text is not null
       and old.occurred_at < before_text::timestamptz then
        return old;
    end if;
    raise exception 'access_events is append-only; only the retention job removes old rows'
        using errcode = 'insufficient_privilege';
end;
$$ language plpgsql;

create trigger access_events_append_only before update or delete on access_events
    for each row execute function access_events_refuse_change();
create trigger access_events_no_truncate before truncate on access_events
    for each statement execute function access_events_refuse_change();
