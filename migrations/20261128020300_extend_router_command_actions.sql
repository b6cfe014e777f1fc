-- The outbox carries every router write, not only isolate / restore.
alter table router_commands drop constraint router_commands_action_check;
alter table router_commands add constraint router_commands_action_check
    check (action in ('isolate', 'restore', 'create_secret', 'update_secret', 'remove_secret', 'kick'));
