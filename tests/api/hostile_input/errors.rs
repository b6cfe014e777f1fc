//! Errors outside a handler (typing, routing, sizes) keep the JSON contract on both listeners.

use super::*;

/// A request and what must come back: method, URL, body (content type, bytes), status, field.
type Case<'a> = (
    &'a str,
    String,
    Option<(&'a str, Vec<u8>)>,
    StatusCode,
    Option<&'a str>,
);

#[tokio::test]
async fn badly_typed_values_and_refused_requests_answer_in_the_json_error_shape() {
    let app = spawn_app().await;
    let admin = app.admin.clone();
    let public = app.public.clone();
    let big_query = format!("{admin}/api/customers?q={}", "a".repeat(20 * 1024));
    let big_body = json!({"name": "x".repeat(3 * 1024 * 1024), "phone": "0812-3456-7890"});
    let cases: Vec<Case> = vec![
        (
            "GET",
            format!("{admin}/api/vouchers?page=abc"),
            None,
            StatusCode::BAD_REQUEST,
            Some("page"),
        ),
        (
            "GET",
            format!("{admin}/api/customers?limit=99999999999999999999"),
            None,
            StatusCode::BAD_REQUEST,
            Some("limit"),
        ),
        (
            "GET",
            format!("{admin}/api/customers/not-a-uuid"),
            None,
            StatusCode::BAD_REQUEST,
            Some("id"),
        ),
        (
            "GET",
            format!("{admin}/api/payments?paid_from=kemarin"),
            None,
            StatusCode::BAD_REQUEST,
            Some("paid_from"),
        ),
        ("GET", big_query, None, StatusCode::URI_TOO_LONG, None),
        (
            "GET",
            format!("{admin}/api/no-such-route"),
            None,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "DELETE",
            format!("{admin}/api/customers"),
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        ),
        (
            "POST",
            format!("{admin}/api/customers"),
            Some(("text/plain", b"name=Budi".to_vec())),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            None,
        ),
        (
            "POST",
            format!("{admin}/api/customers"),
            Some(("application/json", b"{\"name\":".to_vec())),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "POST",
            format!("{admin}/api/customers"),
            Some((
                "application/json",
                b"{\"phone\":\"0812-3456-7890\"}".to_vec(),
            )),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("name"),
        ),
        (
            "POST",
            format!("{admin}/api/customers"),
            Some((
                "application/json",
                serde_json::to_vec(&big_body).expect("json"),
            )),
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
        (
            "GET",
            format!("{public}/no-such-page"),
            None,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "DELETE",
            format!("{public}/healthz"),
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        ),
        (
            "GET",
            format!("{public}/.well-known/mikrobill-check/unknown"),
            None,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "GET",
            format!("{public}/api/whatsapp/webhook/not-a-uuid"),
            None,
            StatusCode::BAD_REQUEST,
            Some("session"),
        ),
        (
            "POST",
            format!("{public}/pay/x%00y/payments"),
            Some(("application/json", b"{}".to_vec())),
            StatusCode::BAD_REQUEST,
            Some("token"),
        ),
        (
            "POST",
            format!("{public}/api/payments/webhook/duitku"),
            Some(("application/json", vec![b' '; 2 * 1024 * 1024])),
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
    ];
    for (method, url, body, expected, field) in cases {
        let what = format!("{method} {}", &url[..url.len().min(120)]);
        let (status, body, content_type) = raw(&app, method, &url, body).await;
        assert_eq!(status, expected, "{what}: {body}");
        assert!(
            content_type.starts_with("application/json"),
            "{what}: {content_type}"
        );
        assert_error_shape(&what, &body);
        if let Some(field) = field {
            assert_eq!(body["error"]["field"], field, "{what}: {body}");
        }
    }
    app.shutdown().await;
}

/// Past what the HTTP server itself reads (a request line over 64 KB, which no HTTP client
/// library even builds): the server answers before the app sees the request, still as JSON, and
/// the client receives the whole answer (the rest of the request is read before the close).
#[tokio::test]
async fn a_request_line_past_64_kb_is_a_json_414_on_both_listeners() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let token = app.token().await;
    for (base, path) in [
        (app.admin.clone(), "/api/customers"),
        (app.public.clone(), "/pay/abc"),
    ] {
        let host = base.trim_start_matches("http://").to_owned();
        let mut socket = tokio::net::TcpStream::connect(&host)
            .await
            .expect("connect");
        let request = format!(
            "GET {path}?q={} HTTP/1.1\r\nhost: {host}\r\nauthorization: Bearer {token}\r\n\r\n",
            "a".repeat(100 * 1024)
        );
        socket
            .write_all(request.as_bytes())
            .await
            .expect("send the request");
        let mut answer = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            socket.read_to_end(&mut answer),
        )
        .await
        .expect("the server closes the connection")
        .expect("read the answer");
        let answer = String::from_utf8_lossy(&answer);
        let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
        assert!(head.starts_with("HTTP/1.1 414 "), "{base}: {head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: application/json"),
            "{base}: {head}"
        );
        let json: Value = serde_json::from_str(body).expect("a JSON body");
        assert_error_shape(&format!("{base}{path}"), &json);
        assert_eq!(json["error"]["kind"], "uri_too_long", "{json}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn the_pay_page_for_an_unknown_link_stays_an_html_page() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!(
            "{}/pay/bukan-tautan-yang-dikenal-sama-sekali",
            app.public
        ))
        .send()
        .await
        .expect("answer");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    app.shutdown().await;
}
