//! Runs the simulator until Ctrl-C:
//! `cargo run -p routeros-api --features simulator --example routeros_sim -- --listen 127.0.0.1:8728`

#[tokio::main]
async fn main() -> std::io::Result<()> {
    routeros_api::sim::run_cli(std::env::args()).await
}
