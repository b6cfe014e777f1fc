-- Why a router command is still waiting, as a stable code (billing_app::failure): a permanent
-- cause (the plan's profile missing on the router, no router assigned, …) is retried hourly
-- and shown as failed until someone fixes it and presses "Coba lagi".
alter table router_commands add column error_code text;

create index router_commands_subscription_latest_idx on router_commands (subscription_id, id desc);
