-- The activity log's cost, measured in the real flows (issue #23): an insert logged once per
-- statement from its transition table costs about 15 µs a row in a bulk INSERT … SELECT, but
-- about 110 µs for a statement of one row (a payment, its ledger entry and allocation, a pay
-- link), against about 25 µs for the per-row trigger. So inserts are logged per statement only
-- on the tables whose rows come in bulk (a month's invoices and their lines and carry-overs, a
-- voucher batch, an import's customers and subscriptions); every other table logs its inserts
-- per row again. Updates and deletes stay per row everywhere.
--
-- And the log's time index becomes a BRIN index: the log is append-only, so its rows lie in
-- time order and a block range index answers "from … to …" as well, at a fraction of a b-tree's
-- cost per insert (a third of a log line's write cost went to that b-tree). The list itself is
-- ordered by id.

create or replace function audit_bulk_insert(tablename regclass) returns boolean as $$
    select tablename::text in ('invoices', 'invoice_lines', 'carry_overs', 'vouchers',
                               'customers', 'subscriptions')
$$ language sql immutable;

create or replace function audit_table(tablename regclass) returns void as $$
declare
    args text := (select coalesce(string_agg(quote_literal(arg), ', '), '')
                    from unnest(audit_trigger_args(tablename)) arg);
begin
    execute format('drop trigger if exists audit_row_change on %s', tablename);
    execute format('drop trigger if exists audit_rows_inserted on %s', tablename);
    if audit_bulk_insert(tablename) then
        execute format(
            'create trigger audit_row_change after update or delete on %s '
            'for each row execute function audit_row_change(%s)', tablename, args);
        execute format(
            'create trigger audit_rows_inserted after insert on %s '
            'referencing new table as new_rows '
            'for each statement execute function audit_rows_inserted(%s)', tablename, args);
    else
        execute format(
            'create trigger audit_row_change after insert or update or delete on %s '
            'for each row execute function audit_row_change(%s)', tablename, args);
    end if;
end;
$$ language plpgsql;

select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change';

drop index audit_log_occurred_at_idx;
create index audit_log_occurred_at_idx on audit_log using brin (occurred_at);
