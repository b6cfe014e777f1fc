//! The states of the money path's rows. Each column is `text` with a `CHECK (status in …)`
//! constraint (not a PostgreSQL enum), so these encode and decode as plain `text` and
//! serialise as their snake_case names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A status text that is not one of the type's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} status {value:?}")]
pub struct UnknownStatus {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident ($kind:literal) {
        $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+
    }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value stored in the column and sent in JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownStatus;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownStatus { kind: $kind, value: s.to_owned() }),
                }
            }
        }

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <str as sqlx::Type<sqlx::Postgres>>::type_info()
            }

            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(
                value: sqlx::postgres::PgValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<'r, sqlx::Postgres>>::decode(value)?;
                Ok(text.parse::<$name>()?)
            }
        }
    };
}

text_enum! {
    /// A payment: `pending` until the money is confirmed, then `paid` (final), or closed
    /// as `failed` / `expired`.
    PaymentStatus ("payment") {
        Pending => "pending",
        Paid => "paid",
        Failed => "failed",
        Expired => "expired",
    }
}

text_enum! {
    /// An invoice: open (`unpaid`, `partial`), `paid`, `carried_over` into a newer invoice,
    /// or `void`.
    InvoiceStatus ("invoice") {
        Unpaid => "unpaid",
        Partial => "partial",
        Paid => "paid",
        CarriedOver => "carried_over",
        Void => "void",
    }
}

impl InvoiceStatus {
    /// Still owes money and can be paid (`unpaid` or `partial`).
    pub const fn is_open(self) -> bool {
        matches!(self, InvoiceStatus::Unpaid | InvoiceStatus::Partial)
    }
}

text_enum! {
    /// A subscription: `active`, `isolated` for overdue debt, or `terminated` (final).
    SubscriptionStatus ("subscription") {
        Active => "active",
        Isolated => "isolated",
        Terminated => "terminated",
    }
}

text_enum! {
    /// A customer: `active` or `inactive`.
    CustomerStatus ("customer") {
        Active => "active",
        Inactive => "inactive",
    }
}

text_enum! {
    /// A voucher batch: `creating` on the router, then `ready` or `failed`.
    BatchStatus ("voucher batch") {
        Creating => "creating",
        Ready => "ready",
        Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_as_their_column_text() {
        for s in InvoiceStatus::ALL {
            assert_eq!(s.as_str().parse::<InvoiceStatus>(), Ok(*s));
            assert_eq!(
                serde_json::to_string(s).expect("json"),
                format!("\"{}\"", s.as_str())
            );
        }
        for s in PaymentStatus::ALL {
            assert_eq!(s.as_str().parse::<PaymentStatus>(), Ok(*s));
        }
        assert_eq!(InvoiceStatus::CarriedOver.as_str(), "carried_over");
        assert!("settled".parse::<PaymentStatus>().is_err());
        assert!(InvoiceStatus::Partial.is_open());
        assert!(!InvoiceStatus::CarriedOver.is_open());
    }
}
