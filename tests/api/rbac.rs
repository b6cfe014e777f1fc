//! Roles: every admin route against every role, accounts, sessions, the activity and
//! security logs.

use billing_domain::Role;
use billing_http::admin::access::{self, Access};
use billing_tests::*;
use serde_json::{json, Value};

const STAFF_PASSWORD: &str = "sandi-staf-yang-kuat";

/// Creates an account of every role (owner exists) and returns (role, access token).
async fn tokens_of_every_role(app: &TestApp) -> Vec<(Role, String)> {
    let owner = app.token().await;
    let mut out = vec![(Role::Owner, owner)];
    for role in [Role::Admin, Role::Cashier, Role::Technician] {
        let name = format!("staf-{}", role.as_str());
        let (status, body) = app
            .call(
                "POST",
                "/api/admin/users",
                Some(json!({"username": name, "password": STAFF_PASSWORD, "role": role.as_str()})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        out.push((role, login_token(app, &name).await));
    }
    let (status, body) = app
        .call(
            "POST",
            "/api/resellers",
            Some(json!({"username": "agen-satu", "password": STAFF_PASSWORD, "name": "Agen Satu"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    out.push((Role::Reseller, login_token(app, "agen-satu").await));
    out
}

async fn login_token(app: &TestApp, username: &str) -> String {
    let (status, body) = app.login(username, STAFF_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("token").to_owned()
}

async fn send(app: &TestApp, method: &str, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.http.request(m, format!("{}{path}", app.admin));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if matches!(method, "POST" | "PUT" | "PATCH") {
        req = req.json(&json!({}));
    }
    let res = req.send().await.expect("send");
    if res.status().is_success()
        && res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"))
    {
        // A live stream never ends; its status is the answer.
        return (res.status(), Value::Null);
    }
    split(res).await
}

fn concrete(path: &str) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    path.replace("{id}", &id)
        .replace("{router_id}", &id)
        .replace("{kind}", "voucher")
        .replace("{code}", "duitku")
        .replace("{key}", "invoice_issued")
}

/// The operations of the served OpenAPI document: (METHOD, path).
async fn documented_operations(app: &TestApp) -> Vec<(String, String)> {
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    // Logging out everywhere ends the caller's tokens: it goes last.
    ops.sort_by_key(|(_, p)| p == "/api/auth/logout-everywhere");
    ops
}

#[tokio::test]
async fn every_route_answers_401_without_a_token_and_403_exactly_where_the_role_map_says() {
    let app = spawn_app().await;
    let tokens = tokens_of_every_role(&app).await;
    let ops = documented_operations(&app).await;
    assert!(
        ops.len() > 100,
        "the document lists {} operations",
        ops.len()
    );

    // The access table (derived from the routes' declarations, the one the router uses) and
    // the document describe the same routes.
    let table = access::table();
    for (method, path) in &ops {
        let m = http::Method::from_bytes(method.as_bytes()).expect("method");
        assert!(
            table.access(&m, path).is_some(),
            "{method} {path} has no access rule (declare it with its resource's routes)"
        );
    }
    for (method, path, access) in table.iter() {
        if access != Access::Public {
            assert!(
                ops.iter().any(|(m, p)| m == method.as_str() && p == path),
                "{method} {path} is protected but missing from the OpenAPI document"
            );
        }
    }

    let mut failures = Vec::new();
    for (method, path) in &ops {
        let m = http::Method::from_bytes(method.as_bytes()).expect("method");
        let access = table.access(&m, path).expect("checked above");
        let url = concrete(path);
        if access != Access::Public {
            let (status, _) = send(&app, method, &url, None).await;
            if status != StatusCode::UNAUTHORIZED {
                failures.push(format!("{method} {path} without a token: {status}"));
            }
            let (status, _) = send(&app, method, &url, Some("not.a.jwt")).await;
            if status != StatusCode::UNAUTHORIZED {
                failures.push(format!("{method} {path} with a forged token: {status}"));
            }
        }
        for (role, token) in &tokens {
            let (status, body) = send(&app, method, &url, Some(token)).await;
            let allowed = access.allows(*role);
            let ok = if allowed {
                status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED
            } else {
                status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {}: {status} (allowed: {allowed}) {body}",
                    role.as_str()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.shutdown().await;
}

async fn create_staff(app: &TestApp, name: &str, role: &str) -> Value {
    let (status, body) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": name, "password": STAFF_PASSWORD, "role": role})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

#[tokio::test]
async fn a_disabled_user_is_locked_out_at_once_and_can_be_enabled_again() {
    let app = spawn_app().await;
    let user = create_staff(&app, "kasir", "cashier").await;
    let (_, tokens) = app.login("kasir", STAFF_PASSWORD).await;
    let access = tokens["access_token"].as_str().expect("token");
    let (status, _) = app.get_auth("/api/customers", access).await;
    assert_eq!(status, StatusCode::OK);

    let id = user["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "PATCH",
            &format!("/api/admin/users/{id}"),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["disabled"], true);

    let (status, _) = app.get_auth("/api/customers", access).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the access token still works"
    );
    let (status, _) = app
        .post(
            "/api/auth/refresh",
            json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the refresh token still works"
    );
    let (status, _) = app.login("kasir", STAFF_PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/admin/users/{id}"),
            Some(json!({"disabled": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.login("kasir", STAFF_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}

#[tokio::test]
async fn a_role_change_applies_to_the_next_request_and_admins_cannot_make_owners() {
    let app = spawn_app().await;
    let user = create_staff(&app, "teknisi", "technician").await;
    let access = login_token(&app, "teknisi").await;
    let (status, _) = app.get_auth("/api/routers", &access).await;
    assert_eq!(status, StatusCode::OK);

    let id = user["id"].as_str().expect("id");
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/admin/users/{id}"),
            Some(json!({"role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The role changed: old tokens end (token version) and the new login is an admin.
    let (status, _) = app.get_auth("/api/routers", &access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let admin = login_token(&app, "teknisi").await;

    let res = app
        .http
        .post(format!("{}/api/admin/users", app.admin))
        .bearer_auth(&admin)
        .json(&json!({"username": "pemilik-dua", "password": STAFF_PASSWORD, "role": "owner"}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (status, list) = app.get_auth("/api/admin/users", &admin).await;
    assert_eq!(status, StatusCode::OK);
    let owner_id = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|u| u["role"] == "owner")
        .and_then(|u| u["id"].as_str())
        .expect("owner listed")
        .to_owned();
    let res = app
        .http
        .put(format!("{}/api/admin/users/{owner_id}/password", app.admin))
        .bearer_auth(&admin)
        .json(&json!({"password": "diambil-alih-12345"}))
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "an admin reset the owner's password"
    );

    // The last owner cannot disable themselves.
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/admin/users/{owner_id}"),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.shutdown().await;
}

#[tokio::test]
async fn sessions_are_listed_and_logout_everywhere_ends_every_token() {
    let app = spawn_app().await;
    create_staff(&app, "kasir", "cashier").await;
    let (_, first) = app.login("kasir", STAFF_PASSWORD).await;
    let (_, second) = app.login("kasir", STAFF_PASSWORD).await;
    let access = second["access_token"].as_str().expect("token");

    let (status, sessions) = app.get_auth("/api/auth/sessions", access).await;
    assert_eq!(status, StatusCode::OK, "{sessions}");
    let items = sessions["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);

    let res = app
        .http
        .post(format!("{}/api/auth/logout-everywhere", app.admin))
        .bearer_auth(access)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for tokens in [&first, &second] {
        let (status, _) = app
            .get_auth(
                "/api/auth/me",
                tokens["access_token"].as_str().expect("token"),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = app
            .post(
                "/api/auth/refresh",
                json!({"refresh_token": tokens["refresh_token"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_change_writes_exactly_one_audit_row_with_before_after_and_the_log_is_append_only() {
    let app = spawn_app().await;
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Budi", "phone": "081234567890"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let id = customer["id"].as_str().expect("id").to_owned();
    let (_, before) = app
        .call("GET", &format!("/api/audit?entity_id={id}"), None)
        .await;
    assert_eq!(before["total"], 1, "{before}");

    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/customers/{id}"),
            Some(json!({"name": "Budi Santoso"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, log) = app
        .call("GET", &format!("/api/audit?entity_id={id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log["total"], 2, "{log}");
    let row = &log["items"][0];
    assert_eq!(row["action"], "customers.update");
    assert_eq!(row["actor_name"], OWNER);
    assert_eq!(row["client_ip"], "127.0.0.1");
    assert_eq!(row["request"], "PATCH /api/customers/{id}");
    assert_eq!(row["before"]["name"], "Budi");
    assert_eq!(row["after"]["name"], "Budi Santoso");

    let (_, found) = app
        .call("GET", "/api/audit?q=Santoso&user=pemilik", None)
        .await;
    assert_eq!(found["total"], 1, "{found}");

    let pool = app.pool().await;
    for sql in [
        "update audit_log set actor_name = 'orang-lain'",
        "delete from audit_log",
        "truncate audit_log",
    ] {
        let result = sqlx::query(sql).execute(&pool).await;
        assert!(result.is_err(), "{sql} was accepted");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn an_update_is_logged_as_the_columns_it_changed_with_secrets_redacted_on_every_audited_table(
) {
    let app = spawn_app().await;
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Sari", "phone": "081234567891", "address": "Jl. Mawar 1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let id = customer["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/customers/{id}"),
            Some(json!({"address": "Jl. Mawar 2"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, log) = app
        .call("GET", &format!("/api/audit?entity_id={id}"), None)
        .await;
    let (update, insert) = (&log["items"][0], &log["items"][1]);
    assert_eq!(update["action"], "customers.update", "{log}");
    assert_eq!(
        update["before"],
        json!({"address": "Jl. Mawar 1"}),
        "{update}"
    );
    assert_eq!(
        update["after"],
        json!({"address": "Jl. Mawar 2"}),
        "{update}"
    );
    // An insert keeps the whole new row (without bookkeeping columns).
    assert_eq!(insert["after"]["name"], "Sari", "{insert}");
    assert_eq!(insert["after"]["phone"], "6281234567891", "{insert}");
    assert!(insert["after"].get("updated_at").is_none(), "{insert}");
    assert!(insert["before"].is_null(), "{insert}");

    // A password change: the changed secret columns are logged as redacted, never their value.
    create_staff(&app, "kasir", "cashier").await;
    let pool = app.pool().await;
    sqlx::query("update users set password_hash = 'rahasia-baru' where username = 'kasir'")
        .execute(&pool)
        .await
        .expect("update");
    let (before, after): (serde_json::Value, serde_json::Value) = sqlx::query_as(
        "select before, after from audit_log where action = 'users.update' order by id desc limit 1",
    )
    .fetch_one(&pool)
    .await
    .expect("row");
    assert_eq!(before["password_hash"], "[redacted]", "{before}");
    assert_eq!(after["password_hash"], "[redacted]", "{after}");
    assert!(!after.to_string().contains("rahasia-baru"));

    // Every audited table's trigger knows its secret and bulky columns as they are now: a
    // migration that adds a column to an audited table must call audit_table() again.
    // (table, trigger, logs inserts, its arguments, the arguments it should have)
    type Trigger = (String, String, bool, Vec<String>, Vec<String>);
    let stale: Vec<Trigger> = sqlx::query_as(
        "select c.relname::text, t.tgname::text, (t.tgtype & 4) <> 0, \
                coalesce((select array_agg(a) from unnest(string_to_array( \
                    encode(t.tgargs, 'escape'), '\\000')) a where a <> ''), '{}'), \
                audit_trigger_args(c.oid::regclass) \
         from pg_trigger t join pg_class c on c.oid = t.tgrelid \
         where t.tgname in ('audit_row_change', 'audit_rows_inserted')",
    )
    .fetch_all(&pool)
    .await
    .expect("triggers");
    let tables: std::collections::BTreeSet<&str> = stale.iter().map(|(t, ..)| t.as_str()).collect();
    assert!(tables.len() >= 29, "{tables:?}");
    for (table, _, _, has, wants) in &stale {
        assert_eq!(has, wants, "an audit trigger of {table} is stale");
    }
    // Inserts are logged per statement on the tables whose rows come in bulk, per row on the
    // others (a one-row statement costs several times more through a transition table);
    // updates and deletes per row everywhere. Each insert is logged exactly once.
    let bulk = [
        "invoices",
        "invoice_lines",
        "carry_overs",
        "vouchers",
        "customers",
        "subscriptions",
    ];
    for table in &tables {
        let of = |name: &str| stale.iter().find(|(t, n, ..)| t == table && n == name);
        let row = of("audit_row_change").unwrap_or_else(|| panic!("{table}: no row trigger"));
        let statement = of("audit_rows_inserted");
        if bulk.contains(table) {
            assert!(
                statement.is_some() && !row.2,
                "{table}: inserts per statement only"
            );
        } else {
            assert!(
                statement.is_none() && row.2,
                "{table}: inserts per row only"
            );
        }
    }
    app.shutdown().await;
}

#[tokio::test]
async fn refused_logins_tokens_and_roles_reach_the_security_log_without_secrets() {
    let app = spawn_app().await;
    create_staff(&app, "kasir", "cashier").await;
    let (status, _) = app.login("kasir", "tebakan-yang-salah").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    let (status, _) = app.get_auth("/api/customers", forged).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let cashier = login_token(&app, "kasir").await;
    let (status, _) = app.get_auth("/api/routers", &cashier).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.get_auth("/api/security/events", &cashier).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, log) = app.call("GET", "/api/security/events", None).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let kinds: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for kind in ["login_failed", "token_invalid", "forbidden"] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let text = log.to_string();
    assert!(
        !text.contains("tebakan-yang-salah"),
        "a password was logged"
    );
    assert!(!text.contains(forged), "a whole token was logged");
    assert!(!text.contains(&cashier), "a whole token was logged");
    app.shutdown().await;
}

#[tokio::test]
async fn password_guessing_from_one_address_is_slowed_to_429() {
    let app = spawn_app().await;
    app.create_owner().await;
    // All at once, so the answer does not depend on how fast passwords are hashed here.
    let guesses = (0..45).map(|i| {
        let app = &app;
        async move {
            app.login(&format!("tebak-{i}"), "tebakan-yang-salah")
                .await
                .0
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(limited >= 10, "45 simultaneous guesses: {statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| matches!(*s, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS)),
        "{statuses:?}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_scan_of_the_public_listener_finds_no_admin_route() {
    let app = spawn_app().await;
    let token = app.token().await;
    let ops = documented_operations(&app).await;
    let mut found = Vec::new();
    for (method, path) in &ops {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let res = app
            .http
            .request(m, format!("{}{}", app.public, concrete(path)))
            .bearer_auth(&token)
            .json(&json!({}))
            .send()
            .await
            .expect("send");
        if !matches!(
            res.status(),
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
        ) {
            found.push(format!("{method} {path}: {}", res.status()));
        }
    }
    assert!(
        found.is_empty(),
        "admin routes on the public listener:\n{}",
        found.join("\n")
    );
    let res = app
        .http
        .get(format!("{}/healthz", app.public))
        .send()
        .await
        .expect("send");
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    app.shutdown().await;
}

#[tokio::test]
async fn an_owner_with_the_second_factor_needs_the_code_to_log_in() {
    use billing_domain::Clock as _;
    let app = spawn_app().await;
    let (status, setup) = app.call("POST", "/api/auth/totp/setup", None).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret_text = setup["secret"].as_str().expect("secret").to_owned();
    assert!(setup["otpauth_url"]
        .as_str()
        .expect("url")
        .starts_with("otpauth://totp/"));
    let secret = billing_app::access::totp::decode_base32(&secret_text).expect("base32");
    let code = || {
        let step = app.clock.now().timestamp() / 30;
        format!(
            "{:06}",
            billing_app::access::totp::code_at(&secret, step).expect("code")
        )
    };

    let (status, _) = app
        .call(
            "POST",
            "/api/auth/totp/enable",
            Some(json!({"code": "000000"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app
        .call(
            "POST",
            "/api/auth/totp/enable",
            Some(json!({"code": code()})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, body) = app.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "totp");
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({"username": OWNER, "password": OWNER_PASSWORD, "totp": "123456"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The enrolment code cannot log in again: each code is accepted once.
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({"username": OWNER, "password": OWNER_PASSWORD, "totp": code()}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a used code was accepted again"
    );
    app.clock.advance(chrono::Duration::seconds(30));
    let used = code();
    let (status, body) = app
        .post(
            "/api/auth/login",
            json!({"username": OWNER, "password": OWNER_PASSWORD, "totp": used}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app
        .post(
            "/api/auth/login",
            json!({"username": OWNER, "password": OWNER_PASSWORD, "totp": used}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a replayed code was accepted"
    );

    // The secret is in no log; cashiers cannot turn it on.
    let (_, audit) = app
        .call("GET", "/api/audit?entity=users&limit=500", None)
        .await;
    assert!(
        !audit.to_string().contains(&secret_text),
        "the TOTP secret is in the activity log"
    );
    create_staff(&app, "kasir", "cashier").await;
    let cashier = login_token(&app, "kasir").await;
    let res = app
        .http
        .post(format!("{}/api/auth/totp/setup", app.admin))
        .bearer_auth(&cashier)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    app.shutdown().await;
}

/// The admin API's own rate-limit class (production values are larger; the mechanism is the
/// same): per account, so one runaway client does not slow the others, and per address for
/// refused tokens, so guessing tokens ends in 429 rather than endless 401s.
#[tokio::test]
async fn the_admin_api_limits_each_account_and_addresses_that_keep_sending_bad_tokens() {
    let database_url = fresh_database().await;
    let dir = tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir");
    let app = try_spawn_app_with_settings(dir, &database_url, |s| {
        s.admin.limits = billing_runtime::settings::AdminLimitSettings {
            per_account_per_second: 1,
            per_account_burst: 20,
            refused_per_second: 1,
            refused_burst: 5,
        };
    })
    .await
    .expect("starts");
    let owner = app.token().await;
    let (status, body) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": "kasir-satu", "password": STAFF_PASSWORD, "role": "cashier"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let cashier = login_token(&app, "kasir-satu").await;

    let mut statuses = Vec::new();
    for _ in 0..30 {
        let (status, _) = app.get_auth("/api/auth/me", &owner).await;
        statuses.push(status);
    }
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert!(
        (19..=21).contains(&ok),
        "the owner's burst of 20 (one used above) should pass, then 429: {statuses:?}"
    );
    let res = app
        .http
        .get(format!("{}/api/auth/me", app.admin))
        .bearer_auth(&owner)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!(retry >= 1);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("your account"),
        "{body}"
    );
    let (status, body) = app.get_auth("/api/auth/me", &cashier).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another account is not slowed: {body}"
    );

    let mut refused = Vec::new();
    for _ in 0..8 {
        let (status, _) = app.get_auth("/api/auth/me", "not.a.jwt").await;
        refused.push(status);
    }
    assert_eq!(
        &refused[..5],
        &[StatusCode::UNAUTHORIZED; 5],
        "the first forged tokens are plain 401s: {refused:?}"
    );
    assert!(
        refused[5..]
            .iter()
            .all(|s| *s == StatusCode::TOO_MANY_REQUESTS),
        "then the address is told to slow down: {refused:?}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_cashier_reads_no_settings_or_jobs_yet_prints_receipts_with_the_business_name() {
    use crate::billing::{customer_with_subscription, d, open_invoices, set_today};
    let app = spawn_app().await;
    let (_, mut profile) = app.call("GET", "/api/settings/business", None).await;
    profile["name"] = json!("Warung Net Sejahtera");
    profile["address"] = json!("Jl. Melati 7, Sleman");
    let (status, body) = app
        .call("PUT", "/api/settings/business", Some(profile))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "nina", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);

    create_staff(&app, "kasir", "cashier").await;
    let cashier = login_token(&app, "kasir").await;
    for path in [
        "/api/settings/business",
        "/api/settings/public-url",
        "/api/settings/gateways",
        "/api/jobs",
        "/api/jobs/billing/runs",
    ] {
        let (status, body) = app.get_auth(path, &cashier).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(body["error"]["kind"], "forbidden", "{path}: {body}");
    }
    let (_, me) = app.get_auth("/api/auth/me", &cashier).await;
    let permissions: Vec<&str> = me["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !permissions.iter().any(|p| p.starts_with("settings_")),
        "{permissions:?}"
    );
    assert!(!permissions.contains(&"monitoring_read"), "{permissions:?}");
    for needed in [
        "dashboard_view",
        "invoices_read",
        "payments_record",
        "vouchers_sell",
    ] {
        assert!(permissions.contains(&needed), "{needed}: {permissions:?}");
    }

    // The receipt carries the business's name and address without the settings.
    let res = app
        .http
        .get(format!(
            "{}/api/invoices/{}/receipt?format=html",
            app.admin,
            invoice["id"].as_str().expect("id")
        ))
        .bearer_auth(&cashier)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.contains("Warung Net Sejahtera"), "{html}");
    assert!(html.contains("Jl. Melati 7, Sleman"), "{html}");
    // The health summary of the dashboard stays open to the cashier.
    let (status, _) = app.get_auth("/api/monitoring/health", &cashier).await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}
