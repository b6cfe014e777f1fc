//! The permission map: what each role may do. This is the only place where roles are
//! turned into rights; the HTTP layer asks [`Role::allows`] for every route.

use serde::Serialize;

use crate::Role;

/// One right in the dashboard. Every admin route requires exactly one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Dashboard summary and health.
    DashboardView,
    CustomersRead,
    CustomersWrite,
    /// Adjustments and refunds on a customer's balance.
    BalanceAdjust,
    PlansRead,
    PlansWrite,
    SubscriptionsRead,
    SubscriptionsWrite,
    InvoicesRead,
    /// Void and discount invoices.
    InvoicesAdjust,
    /// Run the monthly billing by hand.
    BillingRun,
    PaymentsRead,
    /// Record cash/transfer payments, start online payments, review transfer proofs.
    PaymentsRecord,
    VouchersRead,
    /// Create batches, print, see sales.
    VouchersSell,
    /// Voucher profiles (hotspot user profiles on the router) and the usage monitor.
    VouchersRouter,
    /// Card templates and print settings.
    VoucherTemplatesWrite,
    ResellersRead,
    ResellersWrite,
    /// Take a reseller's deposit (money).
    ResellerDeposit,
    RoutersRead,
    RoutersWrite,
    PppoeRead,
    PppoeWrite,
    IsolationRun,
    WhatsappRead,
    WhatsappSend,
    WhatsappManage,
    SettingsRead,
    SettingsWrite,
    /// Payment gateway keys (where the money goes): owner only.
    GatewaysManage,
    UsersManage,
    AuditRead,
    SecurityRead,
    /// Make and download backups.
    BackupsManage,
    /// Restore a backup over the current data: owner only.
    BackupsRestore,
    /// Turn on a second factor (TOTP) for one's own account: owners and admins.
    SecondFactor,
    /// Month-end reports (revenue, payments, arrears, subscribers, voucher sales) and their
    /// exports: owners and admins.
    ReportsRead,
    /// Metrics, router charts and alerts (owners, admins, technicians).
    MonitoringRead,
    /// Alert rules and retention periods.
    MonitoringManage,
    /// Bring customers, plans, subscriptions and vouchers in from files, dumps and routers:
    /// owners and admins.
    ImportsRun,
    /// Fill an empty database with the sample data set (first-run wizard): owner only.
    SampleData,
}

impl Permission {
    pub const ALL: [Permission; 42] = {
        use Permission as P;
        [
            P::DashboardView,
            P::CustomersRead,
            P::CustomersWrite,
            P::BalanceAdjust,
            P::PlansRead,
            P::PlansWrite,
            P::SubscriptionsRead,
            P::SubscriptionsWrite,
            P::InvoicesRead,
            P::InvoicesAdjust,
            P::BillingRun,
            P::PaymentsRead,
            P::PaymentsRecord,
            P::VouchersRead,
            P::VouchersSell,
            P::VouchersRouter,
            P::VoucherTemplatesWrite,
            P::ResellersRead,
            P::ResellersWrite,
            P::ResellerDeposit,
            P::RoutersRead,
            P::RoutersWrite,
            P::PppoeRead,
            P::PppoeWrite,
            P::IsolationRun,
            P::WhatsappRead,
            P::WhatsappSend,
            P::WhatsappManage,
            P::SettingsRead,
            P::SettingsWrite,
            P::GatewaysManage,
            P::UsersManage,
            P::AuditRead,
            P::SecurityRead,
            P::BackupsManage,
            P::BackupsRestore,
            P::SecondFactor,
            P::ReportsRead,
            P::MonitoringRead,
            P::MonitoringManage,
            P::ImportsRun,
            P::SampleData,
        ]
    };
}

impl Role {
    /// Whether this role holds `permission`.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        match self {
            Role::Owner => true,
            Role::Admin => !matches!(
                permission,
                P::GatewaysManage | P::BackupsRestore | P::SampleData
            ),
            Role::Cashier => matches!(
                permission,
                P::DashboardView
                    | P::CustomersRead
                    | P::CustomersWrite
                    | P::PlansRead
                    | P::SubscriptionsRead
                    | P::SubscriptionsWrite
                    | P::InvoicesRead
                    | P::PaymentsRead
                    | P::PaymentsRecord
                    | P::VouchersRead
                    | P::VouchersSell
                    | P::ResellersRead
                    | P::ResellerDeposit
                    | P::WhatsappRead
                    | P::WhatsappSend
            ),
            Role::Technician => matches!(
                permission,
                P::DashboardView
                    | P::CustomersRead
                    | P::PlansRead
                    | P::SubscriptionsRead
                    | P::SubscriptionsWrite
                    | P::VouchersRead
                    | P::VouchersRouter
                    | P::RoutersRead
                    | P::RoutersWrite
                    | P::PppoeRead
                    | P::PppoeWrite
                    | P::IsolationRun
                    | P::SettingsRead
                    | P::MonitoringRead
            ),
            Role::Reseller => false,
        }
    }

    /// Whether an account of this role may create or change accounts of `other`:
    /// only the owner manages owners; nobody but the owner and admins manages anyone.
    pub fn may_manage(self, other: Role) -> bool {
        match self {
            Role::Owner => true,
            Role::Admin => other != Role::Owner,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(Role::Cashier, Permission::PaymentsRecord, true)]
    #[case(Role::Cashier, Permission::RoutersRead, false)]
    #[case(Role::Cashier, Permission::SettingsWrite, false)]
    #[case(Role::Cashier, Permission::SettingsRead, false)]
    #[case(Role::Technician, Permission::SettingsRead, true)]
    #[case(Role::Cashier, Permission::UsersManage, false)]
    #[case(Role::Technician, Permission::RoutersWrite, true)]
    #[case(Role::Technician, Permission::PaymentsRead, false)]
    #[case(Role::Technician, Permission::InvoicesRead, false)]
    #[case(Role::Admin, Permission::UsersManage, true)]
    #[case(Role::Admin, Permission::GatewaysManage, false)]
    #[case(Role::Reseller, Permission::VouchersRead, false)]
    #[case(Role::Owner, Permission::GatewaysManage, true)]
    #[case(Role::Owner, Permission::ReportsRead, true)]
    #[case(Role::Admin, Permission::ReportsRead, true)]
    #[case(Role::Cashier, Permission::ReportsRead, false)]
    #[case(Role::Technician, Permission::ReportsRead, false)]
    #[case(Role::Technician, Permission::MonitoringRead, true)]
    #[case(Role::Cashier, Permission::MonitoringRead, false)]
    #[case(Role::Technician, Permission::MonitoringManage, false)]
    #[case(Role::Admin, Permission::ImportsRun, true)]
    #[case(Role::Cashier, Permission::ImportsRun, false)]
    #[case(Role::Technician, Permission::ImportsRun, false)]
    #[case(Role::Owner, Permission::SampleData, true)]
    #[case(Role::Admin, Permission::SampleData, false)]
    #[case(Role::Cashier, Permission::SampleData, false)]
    fn the_map_says_who_may_do_what(
        #[case] role: Role,
        #[case] permission: Permission,
        #[case] allowed: bool,
    ) {
        assert_eq!(role.allows(permission), allowed);
    }

    #[test]
    fn only_the_owner_manages_owners() {
        assert!(Role::Owner.may_manage(Role::Owner));
        assert!(!Role::Admin.may_manage(Role::Owner));
        assert!(Role::Admin.may_manage(Role::Cashier));
        assert!(!Role::Cashier.may_manage(Role::Cashier));
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
