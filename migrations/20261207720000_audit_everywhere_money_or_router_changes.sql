-- The activity log everywhere money or the router changes (issue #21.4, seed §15): vouchers,
-- imports, backups and their settings, monitoring settings, alert rules, pay links, payment
-- proofs, carry-overs, allocations and invoice lines join the 18 tables already audited.
--
-- Two changes make that affordable on tables that grow by thousands of rows at once (a voucher
-- batch, a month's invoice lines and allocations):
-- * inserts are logged once per statement from its transition table (one INSERT … SELECT for a
--   batch of 1,000 vouchers instead of 1,000 calls of a plpgsql function); updates and deletes
--   stay per row, with only the changed columns;
-- * a table may name "quiet" columns: counters and last-seen times that change by themselves
--   every minute (a router's CPU load, a voucher's uptime). A change of only those writes no
--   line (as updated_at already did), and they are left out of the lines. Until now every
--   router check wrote a line per router per minute.

-- Quiet columns per table: written by monitors, not by anyone's decision.
create or replace function audit_quiet_columns(tablename regclass) returns text[] as $$
    select case tablename::text
        when 'routers' then array['last_seen_at', 'cpu_load', 'free_memory', 'uptime',
                                  'status_since', 'last_error', 'drift_count', 'reconciled_at']
        when 'vouchers' then array['uptime_secs', 'bytes_in', 'bytes_out', 'last_seen_at',
                                   'router_user_id']
        when 'users' then array['totp_last_step']
        when 'backup_settings' then array['scheduled_since']
        else array[]::text[]
    end
$$ language sql immutable;

-- The trigger's arguments: secret columns ('s:'), unbounded columns ('b:') and the table's
-- quiet columns ('q:'). A length check bounds a column only when its limit is 2,000 bytes or
-- less: a transfer proof's image, checked at 3 MB, was copied whole into the log.
create or replace function audit_trigger_args(tablename regclass) returns text[] as $$
    select coalesce(array_agg(
               case when a.attname ~* '(password|secret|token|hash|api_key|apikey|server_key|private|cipher)'
                    then 's:' else 'b:' end || a.attname
               order by a.attnum), '{}')
           || coalesce((select array_agg('q:' || q order by q)
                          from unnest(audit_quiet_columns(tablename)) q), '{}')
      from pg_attribute a
     where a.attrelid = tablename and a.attnum > 0 and not a.attisdropped
       and (a.attname ~* '(password|secret|token|hash|api_key|apikey|server_key|private|cipher)'
            or (a.atttypid in ('text'::regtype, 'jsonb'::regtype, 'json'::regtype, 'bytea'::regtype)
                and not exists (
                    select 1 from pg_constraint c
                     where c.conrelid = a.attrelid and c.contype = 'c'
                       and c.conkey = array[a.attnum]
                       and (regexp_match(pg_get_constraintdef(c.oid),
                                         'length\(.*?\)\s*<=\s*(\d+)\)'))[1]::bigint <= 2000)))
$$ language sql stable;

-- One row's update or delete (inserts have their own statement trigger below). A table with no
-- secret, unbounded or quiet column has no arguments, and then tg_argv is null, not empty.
create or replace function audit_row_change() returns trigger as $$
declare
    old_doc jsonb;
    new_doc jsonb;
    doc jsonb;
    arg text;
    col text;
    quiet text[] := array['updated_at', 'last_login_at'];
begin
    foreach arg in array coalesce(tg_argv, '{}') loop
        if left(arg, 2) = 'q:' then
            quiet := quiet || substr(arg, 3);
        end if;
    end loop;
    if tg_op = 'UPDATE' then
        old_doc := to_jsonb(old);
        new_doc := to_jsonb(new);
        select jsonb_object_agg(n.key, n.value), jsonb_object_agg(n.key, old_doc -> n.key)
          into new_doc, old_doc
          from jsonb_each(new_doc) n
         where n.value is distinct from old_doc -> n.key
           and not n.key = any(quiet);
        if new_doc is null then
            -- Only bookkeeping or quiet columns changed: no change worth a line.
            return null;
        end if;
        doc := to_jsonb(new);
    elsif tg_op = 'INSERT' then
        doc := to_jsonb(new);
        new_doc := doc - quiet;
    else
        doc := to_jsonb(old);
        old_doc := doc - quiet;
    end if;
    foreach arg in array coalesce(tg_argv, '{}') loop
        col := substr(arg, 3);
        if left(arg, 2) = 's:' then
            if old_doc ? col then old_doc := jsonb_set(old_doc, array[col], '"[redacted]"'); end if;
            if new_doc ? col then new_doc := jsonb_set(new_doc, array[col], '"[redacted]"'); end if;
        elsif left(arg, 2) = 'b:' then
            if octet_length(old_doc ->> col) > 2000 then
                old_doc := jsonb_set(old_doc, array[col], '"[omitted]"');
            end if;
            if octet_length(new_doc ->> col) > 2000 then
                new_doc := jsonb_set(new_doc, array[col], '"[omitted]"');
            end if;
        end if;
    end loop;
    insert into audit_log (actor_id, actor_name, client_ip, request, action, entity, entity_id,
                           before, after)
    values (
        nullif(current_setting('mikrobill.actor_id', true), '')::uuid,
        coalesce(nullif(current_setting('mikrobill.actor_name', true), ''), 'system'),
        nullif(current_setting('mikrobill.client_ip', true), ''),
        nullif(current_setting('mikrobill.request', true), ''),
        tg_table_name || '.' || lower(tg_op),
        tg_table_name,
        coalesce(doc ->> 'id', doc ->> 'key', doc ->> 'gateway', doc ->> 'kind',
                 doc ->> 'payment_id'),
        old_doc,
        new_doc
    );
    return null;
end;
$$ language plpgsql;

-- A statement's inserted rows, in one INSERT … SELECT: each whole new row without bookkeeping
-- and quiet columns, secrets redacted, values over 2,000 bytes omitted.
create or replace function audit_rows_inserted() returns trigger as $$
declare
    arg text;
    quiet text[] := array['updated_at', 'last_login_at'];
    secrets jsonb := '{}';
    bulky text[] := '{}';
begin
    foreach arg in array coalesce(tg_argv, '{}') loop
        if left(arg, 2) = 'q:' then
            quiet := quiet || substr(arg, 3);
        elsif left(arg, 2) = 's:' then
            secrets := secrets || jsonb_build_object(substr(arg, 3), '[redacted]');
        else
            bulky := bulky || substr(arg, 3);
        end if;
    end loop;
    insert into audit_log (actor_id, actor_name, client_ip, request, action, entity, entity_id,
                           before, after)
    select nullif(current_setting('mikrobill.actor_id', true), '')::uuid,
           coalesce(nullif(current_setting('mikrobill.actor_name', true), ''), 'system'),
           nullif(current_setting('mikrobill.client_ip', true), ''),
           nullif(current_setting('mikrobill.request', true), ''),
           tg_table_name || '.insert',
           tg_table_name,
           coalesce(r.doc ->> 'id', r.doc ->> 'key', r.doc ->> 'gateway', r.doc ->> 'kind',
                    r.doc ->> 'payment_id'),
           null,
           (r.doc - quiet) || secrets
             || case when cardinality(bulky) = 0 then '{}'::jsonb else
                    (select coalesce(jsonb_object_agg(e.key, '[omitted]'::text), '{}')
                       from jsonb_each_text(r.doc) e
                      where e.key = any(bulky) and octet_length(e.value) > 2000) end
      from (select to_jsonb(n) as doc from new_rows n) r;
    return null;
end;
$$ language plpgsql;

-- (Re)makes a table's audit triggers with its arguments: inserts per statement, updates and
-- deletes per row. A migration that adds a column to an audited table calls this again (a test
-- checks every audited table's arguments).
create or replace function audit_table(tablename regclass) returns void as $$
declare
    args text := (select coalesce(string_agg(quote_literal(arg), ', '), '')
                    from unnest(audit_trigger_args(tablename)) arg);
begin
    execute format('drop trigger if exists audit_row_change on %s', tablename);
    execute format('drop trigger if exists audit_rows_inserted on %s', tablename);
    execute format(
        'create trigger audit_row_change after update or delete on %s '
        'for each row execute function audit_row_change(%s)', tablename, args);
    execute format(
        'create trigger audit_rows_inserted after insert on %s '
        'referencing new table as new_rows '
        'for each statement execute function audit_rows_inserted(%s)', tablename, args);
end;
$$ language plpgsql;

-- The tables already audited, remade; then the new ones.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change';

select audit_table('vouchers');
select audit_table('imports');
select audit_table('backups');
select audit_table('backup_settings');
select audit_table('monitoring_settings');
select audit_table('alert_rules');
select audit_table('pay_links');
select audit_table('payment_proofs');
select audit_table('carry_overs');
select audit_table('allocations');
select audit_table('invoice_lines');
