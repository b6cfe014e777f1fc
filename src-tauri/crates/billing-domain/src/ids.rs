//! Typed ids of the money path: a `CustomerId` cannot be passed where an `InvoiceId` is
//! expected. Each is a UUID underneath: JSON and the database see a plain UUID, and the
//! OpenAPI document a plain `{type: string, format: uuid}` (fields holding one say
//! `#[schema(value_type = Uuid)]`; [`utoipa::PartialSchema`] gives the same inline schema).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `{type: string, format: uuid}`, as utoipa renders a `Uuid` field.
fn uuid_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .into()
}

macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id (UUID v7).
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self(Uuid::nil())
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::from_str(s).map(Self)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                uuid_schema()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

uuid_id!(
    /// A customer (`customers.id`).
    CustomerId
);
uuid_id!(
    /// An invoice (`invoices.id`).
    InvoiceId
);
uuid_id!(
    /// A payment (`payments.id`).
    PaymentId
);
uuid_id!(
    /// A subscription (`subscriptions.id`).
    SubscriptionId
);
uuid_id!(
    /// A plan (`plans.id`).
    PlanId
);
uuid_id!(
    /// A router (`routers.id`).
    RouterId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_uuids_outside() {
        let raw = "0190b2c8-8d4e-7c3a-9f00-0123456789ab";
        let id: InvoiceId = raw.parse().expect("a uuid");
        assert_eq!(id.to_string(), raw);
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            format!("\"{raw}\"")
        );
        let back: InvoiceId = serde_json::from_str(&format!("\"{raw}\"")).expect("json");
        assert_eq!(back, id);
        assert!("not-a-uuid".parse::<CustomerId>().is_err());
    }

    #[test]
    fn ids_render_as_a_uuid_schema() {
        use utoipa::PartialSchema;
        let ours = serde_json::to_value(PaymentId::schema()).expect("json");
        assert_eq!(
            ours,
            serde_json::json!({"type": "string", "format": "uuid"})
        );
    }
}
