//! Logging in: plain, legacy challenge, failures, permissions, TLS.

use std::time::Duration;

use routeros_api::sim::{Faults, SimConfig, SimGroup, SimTls, SimUser, SimVersion};
use routeros_api::{CertFingerprint, Client, ErrorKind, TlsOptions, TrapKind};

use super::{client, sim, sim_version, sim_with};

#[tokio::test]
async fn factory_admin_with_empty_password_logs_in() {
    let sim = sim().await;
    let c = client(&sim).await;
    assert_eq!(c.identity().await.expect("identity"), "MikroTik");
}

#[tokio::test]
async fn wrong_password_fails_with_the_v7_message_and_names_the_router() {
    let sim = sim().await;
    let mut opts = sim.connect_options();
    opts.password = "wrong".into();
    let err = Client::connect(opts).await.expect_err("bad password");
    assert_eq!(
        err.kind(),
        &ErrorKind::Login("invalid user name or password (6)".into())
    );
    let text = err.to_string();
    assert!(text.contains(&sim.addr().to_string()), "{text}");
    assert!(text.contains("/login"), "{text}");
}

#[tokio::test]
async fn wrong_password_on_v6_says_cannot_log_in() {
    let sim = sim_version(SimVersion::V6_49).await;
    let mut opts = sim.connect_options();
    opts.username = "nobody".into();
    let err = Client::connect(opts).await.expect_err("unknown user");
    assert_eq!(err.kind(), &ErrorKind::Login("cannot log in".into()));
}

#[tokio::test]
async fn legacy_router_gets_the_md5_challenge_login() {
    let sim = sim_with(SimConfig {
        version: SimVersion::V6_42,
        password: "s3cret".into(),
        ..SimConfig::default()
    })
    .await;
    let c = client(&sim).await;
    assert!(c
        .system_resource()
        .await
        .expect("resource")
        .version
        .starts_with("6.42"));
    let mut opts = sim.connect_options();
    opts.password = "nope".into();
    let err = Client::connect(opts).await.expect_err("bad password");
    assert!(matches!(err.kind(), ErrorKind::Login(m) if m == "cannot log in"));
}

#[tokio::test]
async fn read_only_user_gets_not_enough_permissions_on_writes() {
    let sim = sim_with(SimConfig {
        users: vec![SimUser {
            name: "viewer".into(),
            password: "v".into(),
            group: SimGroup::Read,
        }],
        ..SimConfig::default()
    })
    .await;
    let mut opts = sim.connect_options();
    opts.username = "viewer".into();
    opts.password = "v".into();
    let c = Client::connect(opts).await.expect("viewer logs in");
    assert!(c.hotspot_users().list().await.is_ok());
    let err = c.set_identity("x").await.expect_err("read-only");
    assert_eq!(err.trap_kind(), Some(TrapKind::NotEnoughPermissions));
    assert_eq!(
        err.trap().map(|t| t.message.as_str()),
        Some("not enough permissions (9)")
    );
}

#[tokio::test]
async fn slow_login_beyond_the_login_timeout_is_a_timeout() {
    let sim = sim_with(SimConfig {
        faults: Faults {
            login_delay: Duration::from_millis(500),
            ..Faults::default()
        },
        ..SimConfig::default()
    })
    .await;
    let mut opts = sim.connect_options();
    opts.login_timeout = Duration::from_millis(100);
    let err = Client::connect(opts).await.expect_err("too slow");
    assert_eq!(err.kind(), &ErrorKind::Timeout);
    let mut opts = sim.connect_options();
    opts.login_timeout = Duration::from_secs(2);
    assert!(Client::connect(opts).await.is_ok());
}

#[tokio::test]
async fn tls_with_the_routers_certificate_trusted_works() {
    let sim = sim_with(SimConfig {
        tls: SimTls::SelfSigned,
        ..SimConfig::default()
    })
    .await;
    assert!(sim.certificate_der().is_some());
    let c = client(&sim).await;
    assert_eq!(c.identity().await.expect("identity over TLS"), "MikroTik");
}

#[tokio::test]
async fn tls_with_an_untrusted_certificate_is_a_tls_error() {
    let sim = sim_with(SimConfig {
        tls: SimTls::SelfSigned,
        ..SimConfig::default()
    })
    .await;
    let opts = sim.connect_options().tls(TlsOptions::default());
    let err = Client::connect(opts).await.expect_err("untrusted");
    assert_eq!(err.kind(), &ErrorKind::Tls);
    assert!(err.to_string().contains("not trusted"), "{err}");
}

#[tokio::test]
async fn tls_to_a_router_without_certificate_says_to_install_one() {
    let sim = sim_with(SimConfig {
        tls: SimTls::NoCertificate,
        ..SimConfig::default()
    })
    .await;
    let opts = sim.connect_options().tls(TlsOptions {
        insecure_skip_verify: true,
        ..Default::default()
    });
    let err = Client::connect(opts).await.expect_err("no certificate");
    assert_eq!(err.kind(), &ErrorKind::Tls);
    let text = err.to_string();
    assert!(
        text.contains("anonymous Diffie-Hellman") && text.contains("certificate"),
        "{text}"
    );
}

#[tokio::test]
async fn tls_trusting_the_routers_exported_pem_works() {
    let sim = sim_with(SimConfig {
        tls: SimTls::SelfSigned,
        ..SimConfig::default()
    })
    .await;
    let pem = sim.certificate_pem().expect("pem");
    let tls = TlsOptions {
        server_name: Some("localhost".into()),
        ..Default::default()
    }
    .with_root_pem(pem.as_bytes())
    .expect("valid pem");
    let c = Client::connect(sim.connect_options().tls(tls))
        .await
        .expect("login over TLS");
    assert_eq!(c.identity().await.expect("identity"), "MikroTik");
    assert!(TlsOptions::default().with_root_pem(b"not pem").is_err());
}

fn sim_fingerprint(pem: &str) -> CertFingerprint {
    let der = rustls_pemfile::certs(&mut pem.as_bytes())
        .next()
        .expect("a certificate")
        .expect("valid pem");
    CertFingerprint::of_der(der.as_ref())
}

#[tokio::test]
async fn an_untrusted_certificate_is_reported_with_its_fingerprint_and_trusting_that_pin_works() {
    let sim = sim_with(SimConfig {
        tls: SimTls::SelfSigned,
        ..SimConfig::default()
    })
    .await;
    let expected = sim_fingerprint(sim.certificate_pem().expect("pem"));

    let err = Client::connect(sim.connect_options().tls(TlsOptions::default()))
        .await
        .expect_err("untrusted");
    assert_eq!(err.kind(), &ErrorKind::Tls);
    assert_eq!(err.presented_certificate(), Some(&expected));
    assert!(err.to_string().contains(&expected.to_string()), "{err}");

    // Pinned: trusted whatever the name (the simulator's certificate is for "localhost", the
    // address is 127.0.0.1) and issuer.
    let pinned = TlsOptions {
        pinned_sha256: Some(expected),
        ..Default::default()
    };
    let c = Client::connect(sim.connect_options().tls(pinned))
        .await
        .expect("login over TLS with the pinned certificate");
    assert_eq!(c.identity().await.expect("identity"), "MikroTik");
}

#[tokio::test]
async fn another_certificate_than_the_pinned_one_is_refused_naming_both() {
    let sim = sim_with(SimConfig {
        tls: SimTls::SelfSigned,
        ..SimConfig::default()
    })
    .await;
    let presented = sim_fingerprint(sim.certificate_pem().expect("pem"));
    let other = CertFingerprint([7; 32]);
    let opts = sim.connect_options().tls(TlsOptions {
        pinned_sha256: Some(other),
        // A pin wins over "accept anything".
        insecure_skip_verify: true,
        ..Default::default()
    });
    let err = Client::connect(opts).await.expect_err("not the pinned one");
    assert_eq!(err.kind(), &ErrorKind::Tls);
    assert_eq!(err.presented_certificate(), Some(&presented));
    let text = err.to_string();
    assert!(
        text.contains("not the trusted one")
            && text.contains(&other.to_string())
            && text.contains(&presented.to_string()),
        "{text}"
    );
}

#[test]
fn fingerprints_parse_in_the_usual_spellings() {
    let hex = "5f0c8e0f8a6a2a1b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819203";
    let fp = CertFingerprint::parse(hex).expect("routeros spelling");
    assert_eq!(fp.to_string(), hex);
    let colons = hex
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).expect("ascii").to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    assert_eq!(CertFingerprint::parse(&colons), Some(fp));
    assert_eq!(CertFingerprint::parse(&hex[..62]), None);
    assert_eq!(CertFingerprint::parse(&format!("{}zz", &hex[..62])), None);
    assert_eq!(CertFingerprint::parse(""), None);
}
