-- Activity log: every change to the audited tables, written by a trigger in the same
-- transaction as the change. Who and from where come from transaction-local settings the
-- app sets (`mikrobill.actor_id`, …); changes made by jobs have no actor. Append-only.
create table audit_log (
    id bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    actor_id uuid,
    actor_name text,
    client_ip text,
    request text,
    action text not null,
    entity text not null,
    entity_id text,
    before jsonb,
    after jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index audit_log_occurred_at_idx on audit_log (occurred_at desc);
create index audit_log_entity_idx on audit_log (entity, entity_id);
create index audit_log_actor_idx on audit_log (actor_id);

create function audit_log_refuse_change() returns trigger as $$
begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$ language plpgsql;

create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change();

-- Secrets and bulky values never reach the log; bookkeeping columns (updated_at, a user's
-- last login) are left out, so a change of only those is no change.
create function audit_redact(doc jsonb) returns jsonb as $$
declare
    result jsonb := '{}'::jsonb;
    item record;
begin
    if doc is null then
        return null;
    end if;
    for item in select key, value from jsonb_each(doc) loop
        if item.key ~* '(password|secret|token|hash|api_key|apikey|server_key|private|cipher)' then
            result := result || jsonb_build_object(item.key, '[redacted]');
        elsif length(item.value::text) > 2000 then
            result := result || jsonb_build_object(item.key, '[omitted]');
        elsif item.key in ('updated_at', 'last_login_at') then
            continue;
        else
            result := result || jsonb_build_object(item.key, item.value);
        end if;
    end loop;
    return result;
end;
$$ language plpgsql immutable;

create function audit_row_change() returns trigger as $$
declare
    old_doc jsonb := case when tg_op in ('UPDATE', 'DELETE') then audit_redact(to_jsonb(old)) end;
    new_doc jsonb := case when tg_op in ('INSERT', 'UPDATE') then audit_redact(to_jsonb(new)) end;
    doc jsonb := coalesce(to_jsonb(new), to_jsonb(old));
    actor text := nullif(current_setting('mikrobill.actor_id', true), '');
begin
    if tg_op = 'UPDATE' and old_doc = new_doc then
        return null;
    end if;
    insert into audit_log (actor_id, actor_name, client_ip, request, action, entity, entity_id,
                           before, after)
    values (
        actor::uuid,
        coalesce(nullif(current_setting('mikrobill.actor_name', true), ''), 'system'),
        nullif(current_setting('mikrobill.client_ip', true), ''),
        nullif(current_setting('mikrobill.request', true), ''),
        tg_table_name || '.' || lower(tg_op),
        tg_table_name,
        coalesce(doc ->> 'id', doc ->> 'key', doc ->> 'gateway', doc ->> 'kind'),
        old_doc,
        new_doc
    );
    return null;
end;
$$ language plpgsql;

create function audit_table(tablename regclass) returns void as $$
begin
    execute format(
        'create trigger audit_row_change after insert or update or delete on %s '
        'for each row execute function audit_row_change()',
        tablename
    );
end;
$$ language plpgsql;

select audit_table('users');
select audit_table('business_profile');
select audit_table('customers');
select audit_table('plans');
select audit_table('subscriptions');
select audit_table('invoices');
select audit_table('payments');
select audit_table('ledger_entries');
select audit_table('routers');
select audit_table('gateway_settings');
select audit_table('whatsapp_sessions');
select audit_table('whatsapp_templates');
select audit_table('whatsapp_settings');
select audit_table('voucher_profiles');
select audit_table('voucher_batches');
select audit_table('voucher_print_templates');
select audit_table('resellers');
select audit_table('reseller_ledger');

select trigger_updated_at('audit_log');
