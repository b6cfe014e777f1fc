-- A subscription's router must exist; a router with subscriptions cannot be deleted.
alter table subscriptions add constraint subscriptions_router_id_fkey
    foreign key (router_id) references routers (id) on delete restrict;

create index subscriptions_router_id_idx on subscriptions (router_id);
