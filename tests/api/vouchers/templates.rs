//! The card template editor's live preview (`POST /api/vouchers/templates/{kind}/preview`):
//! sample cards printed with the markup being edited, nothing saved; a broken template is
//! refused with the reason, as saving would.

use super::*;

async fn preview(app: &TestApp, kind: &str, html: &str) -> (reqwest::StatusCode, String) {
    let res = app
        .http
        .post(format!(
            "{}/api/vouchers/templates/{kind}/preview",
            app.admin
        ))
        .bearer_auth(app.token().await)
        .json(&json!({ "html": html }))
        .send()
        .await
        .expect("send");
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = res.text().await.expect("text");
    if status == reqwest::StatusCode::OK {
        assert!(content_type.starts_with("text/html"), "{content_type}");
    }
    (status, text)
}

#[tokio::test]
async fn the_preview_prints_sample_cards_with_the_edited_markup_and_saves_nothing() {
    let app = spawn_app().await;
    let (status, html) = preview(
        &app,
        "default",
        "<div class=\"mine\">KODE {{code}} {{price}}{{#password}} PASS {{password}}{{/password}}</div>",
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{html}");
    assert!(html.starts_with("<!DOCTYPE html>"), "a whole page");
    assert!(html.contains("class=\"mine\""), "the edited markup is used");
    assert!(html.contains("KODE ABC234"), "sample code");
    assert!(
        html.contains("PASS XYZ789"),
        "a card with a separate password"
    );
    assert!(html.contains("KODE KPM47Q"), "and one without");
    assert!(html.contains("Rp"), "prices in rupiah");
    let (_, template) = app
        .call("GET", "/api/vouchers/templates/default", None)
        .await;
    assert_eq!(template["custom"], false, "the preview saved the template");
    // The 58 mm layout previews on its own paper.
    let (status, thermal) = preview(&app, "thermal58", "<div>{{code}}</div>").await;
    assert_eq!(status, reqwest::StatusCode::OK, "{thermal}");
    assert!(thermal.contains("58mm"), "58 mm page");
    app.shutdown().await;
}

#[tokio::test]
async fn a_broken_template_previews_as_the_reason_it_would_be_refused() {
    let app = spawn_app().await;
    let (status, body) = preview(
        &app,
        "default",
        "<div>{{code}} <script>alert(1)</script></div>",
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let error: Value = serde_json::from_str(&body).expect("json error");
    assert!(
        error["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{error}"
    );
    let (status, _) = preview(&app, "poster", "<div>{{code}}</div>").await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    app.shutdown().await;
}
