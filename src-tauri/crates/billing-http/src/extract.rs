use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use billing_app::access::current_user::CurrentUser;
use billing_domain::Role;

use crate::{ApiError, HttpState};

pub use crate::input::{ApiJson, Path, Query};

/// The authenticated dashboard user (the ISP's own staff), from
/// `Authorization: Bearer <access token>`. Resellers are refused (403): they have their
/// own routes ([`ResellerUser`]).
#[derive(Debug, Clone)]
pub struct AuthUser(pub CurrentUser);

impl<S> FromRequestParts<S> for AuthUser
where
    HttpState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let AnyUser(user) = AnyUser::from_request_parts(parts, state).await?;
        if user.role == Role::Reseller {
            return Err(ApiError::Forbidden(
                "a reseller account may only use the reseller pages".into(),
            ));
        }
        Ok(AuthUser(user))
    }
}

/// A logged-in reseller (their own stock and sales only).
#[derive(Debug, Clone)]
pub struct ResellerUser(pub CurrentUser);

impl<S> FromRequestParts<S> for ResellerUser
where
    HttpState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let AnyUser(user) = AnyUser::from_request_parts(parts, state).await?;
        if user.role != Role::Reseller {
            return Err(ApiError::Forbidden(
                "these pages are for reseller accounts".into(),
            ));
        }
        Ok(ResellerUser(user))
    }
}

/// Any logged-in user, whatever the role (who am I, log out). The [`authorize`] layer
/// authenticates every non-public route (token, account status, token version) and
/// leaves the user here; a route without it has no user.
///
/// [`authorize`]: crate::admin::access::authorize
#[derive(Debug, Clone)]
pub struct AnyUser(pub CurrentUser);

impl<S> FromRequestParts<S> for AnyUser
where
    HttpState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(AnyUser)
            .ok_or_else(|| ApiError::Unauthorized("log in first (no access token)".into()))
    }
}

/// The caller's address and user agent (for the access and security logs).
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub addr: Option<String>,
    pub user_agent: Option<String>,
}

impl ClientInfo {
    pub fn of(parts: &axum::http::request::Parts) -> Self {
        Self {
            addr: parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string()),
            user_agent: user_agent(&parts.headers),
        }
    }

    pub fn client(&self) -> billing_app::access::auth::Client<'_> {
        billing_app::access::auth::Client {
            remote_addr: self.addr.as_deref(),
            user_agent: self.user_agent.as_deref(),
        }
    }
}

/// The request's `User-Agent`, when it is text (the app cuts it to 200 characters).
pub fn user_agent(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo::of(parts))
    }
}

/// The caller's IP address as text (for the login log), when the server knows it.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip().to_string());
        Ok(ClientAddr(addr))
    }
}
