//! Home subscriptions and their money: customers, plans, subscriptions, invoices and the
//! monthly run that issues them, payments and their allocation, the ledger (balances and
//! credit), isolation of overdue subscriptions, and the business profile printed on them.

pub mod business;
pub mod credit;
pub mod customers;
pub mod invoices;
pub mod isolation;
pub mod ledger;
pub mod monthly_run;
pub mod payments;
pub mod plans;
pub mod subscriptions;
pub mod wallets;
