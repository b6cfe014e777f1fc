-- Length limits of free text (characters), the same as billing_app::text checks before
-- writing: the database refuses what the API refuses, whatever path the text takes.
-- Text already longer than a limit (only possible through the unbounded API before this
-- change: a 100 KB address is not an address) is cut to the limit so the constraints hold.

update customers set name = left(name, 120) where char_length(name) > 120;
update customers set address = left(address, 500) where char_length(address) > 500;
update customers set notes = left(notes, 2000) where char_length(notes) > 2000;
update business_profile set address = left(address, 500) where char_length(address) > 500;
update payments set reference = left(reference, 100) where char_length(reference) > 100;
update payments set note = left(note, 2000) where char_length(note) > 2000;
update invoices set void_reason = left(void_reason, 500) where char_length(void_reason) > 500;

alter table customers
    add constraint customers_name_length check (char_length(name) <= 120),
    add constraint customers_address_length check (char_length(address) <= 500),
    add constraint customers_notes_length check (char_length(notes) <= 2000);
alter table business_profile
    add constraint business_profile_address_length check (char_length(address) <= 500);
alter table payments
    add constraint payments_reference_length check (char_length(reference) <= 100),
    add constraint payments_note_length check (char_length(note) <= 2000);
alter table invoices
    add constraint invoices_void_reason_length check (char_length(void_reason) <= 500);
-- The ledger is append-only (its rows cannot be updated): new entries only.
alter table ledger_entries
    add constraint ledger_entries_reason_length check (char_length(reason) <= 500) not valid;
