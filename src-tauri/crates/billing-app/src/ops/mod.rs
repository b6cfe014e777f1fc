//! Running the shop's installation: the setup checklist, backups and restore, the scheduled jobs, imports from
//! other tools, first-run database setup, sample data, the instances sharing one database,
//! and what these need from the runtime.

pub mod backups;
pub mod checklist;
pub mod imports;
pub mod instances;
pub mod job_names;
pub mod jobs;
pub mod sample_data;
pub mod setup;
