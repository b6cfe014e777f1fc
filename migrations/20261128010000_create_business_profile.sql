-- The ISP's own details, printed on invoices and receipts. Exactly one row.
create table business_profile (
    id boolean primary key default true,
    name text not null default '',
    address text not null default '',
    phone text not null default '',
    email text,
    logo_data_url text,
    bank_accounts jsonb not null default '[]',
    tax_rate_bp integer not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint business_profile_single_row check (id),
    constraint business_profile_tax_rate_bp_check check (tax_rate_bp between 0 and 10000)
);

insert into business_profile (id) values (true);

select trigger_updated_at('business_profile');
