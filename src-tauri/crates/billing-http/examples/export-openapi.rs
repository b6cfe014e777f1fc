//! `cargo run -p billing-http --example export-openapi > ui/openapi.json`
fn main() {
    println!("{}", billing_http::openapi_json());
}
