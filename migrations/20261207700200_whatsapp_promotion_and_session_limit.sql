-- Failover by promotion (seed §5 handleSessionFailure): when the last working primary fails,
-- the healthiest backup becomes primary and the failed one returns as a backup once healthy.
-- When and how a session's role last changed by itself (`promoted` to primary in place of
-- `role_change_peer`, or `demoted` to backup after failing, `role_change_peer` promoted),
-- for the sessions page (which words it in the owner's language).
alter table whatsapp_sessions
    add column role_changed_at timestamptz,
    add column role_change text,
    add column role_change_peer text,
    add constraint whatsapp_sessions_role_change_check
        check (role_change is null or role_change in ('promoted', 'demoted'));

-- At most five sessions, enforced by the database so two requests (or two PCs) adding one at
-- the same moment cannot make six: inserts take one lock in turn and count what is committed.
create function whatsapp_sessions_at_most_five() returns trigger
    language plpgsql as $$
begin
    perform pg_advisory_xact_lock(hashtext('whatsapp_sessions_at_most_five'));
    if (select count(*) from whatsapp_sessions) >= 5 then
        raise exception 'at most 5 WhatsApp sessions'
            using errcode = 'check_violation', constraint = 'whatsapp_sessions_at_most_five';
    end if;
    return new;
end
$$;

create trigger whatsapp_sessions_at_most_five
    before insert on whatsapp_sessions
    for each row execute function whatsapp_sessions_at_most_five();

-- The audit trigger names the audited columns: remade for the new ones.
select audit_table(c.oid::regclass)
  from pg_trigger t join pg_class c on c.oid = t.tgrelid
 where t.tgname = 'audit_row_change' and c.relname in ('whatsapp_sessions');
