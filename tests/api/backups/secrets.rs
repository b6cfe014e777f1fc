use super::*;
use secrecy::ExposeSecret;

#[tokio::test]
async fn a_backup_holds_no_secret_from_the_keyring_or_the_database_url() {
    let app = spawn_app().await;
    seed(&app).await;
    // Secrets the owner typed in: a router password, gateway keys, a WhatsApp token.
    let typed = [
        "router-sandi-Q7f3kP",
        "duitku-kunci-9Hs2Lm",
        "wa-token-Zx81Nq4v",
    ];
    let (status, body) = app
        .call(
            "POST",
            "/api/routers",
            Some(
                json!({"name": "Kantor", "host": "192.0.2.1", "port": 8728, "api_user": "admin",
                        "password": typed[0]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/gateways/duitku",
            Some(
                json!({"enabled": true, "environment": "sandbox", "merchant_code": "D0001",
                        "api_key": typed[1]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(
                json!({"name": "Toko", "provider": "fonnte", "base_url": "http://127.0.0.1:9",
                        "token": typed[2]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let ctx = app.ctx();
    let mut secrets: Vec<String> = typed.iter().map(|s| (*s).to_owned()).collect();
    for name in ["jwt-signing-key", "data-key"] {
        let value = ctx.secrets.get(name).expect("keyring").expect("present");
        secrets.push(value.expose_secret().to_owned());
    }
    // The PPPoE password of the seeded subscriptions (kept encrypted in the database).
    secrets.push("rahasia-pppoe".into());
    // The database password in the URL.
    let url = url::Url::parse(&app.database_url).expect("url");
    if let Some(p) = url.password().filter(|p| p.len() >= 6) {
        secrets.push(p.to_owned());
    }

    let backup = create_backup(&app).await;
    let path = backup_path(&backup);
    let out = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("tar")
        .arg("-xzf")
        .arg(&path)
        .arg("-C")
        .arg(out.path())
        .status()
        .expect("tar");
    assert!(status.success());
    let mut files = vec![
        path.clone(),
        std::path::PathBuf::from(format!("{}.sha256", path.display())),
    ];
    for entry in std::fs::read_dir(out.path()).expect("dir") {
        files.push(entry.expect("entry").path());
    }
    let names: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for expected in ["manifest.json", "settings.json", "database.dump"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    let settings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("settings.json")).expect("settings"))
            .expect("json");
    assert_eq!(settings["runtime"]["business"]["timezone"], "Asia/Jakarta");
    assert_eq!(settings["runtime"]["database"]["mode"], "remote");
    let dump = std::fs::read(out.path().join("database.dump")).expect("dump");
    assert!(
        contains(&dump, b"Pelanggan budi"),
        "the dump is not readable text, so the search below proves nothing"
    );
    for file in &files {
        let bytes = std::fs::read(file).expect("read");
        for secret in &secrets {
            assert!(
                !contains(&bytes, secret.as_bytes()),
                "{} contains a secret ({}…)",
                file.display(),
                &secret[..4.min(secret.len())]
            );
        }
    }
    app.shutdown().await;
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
