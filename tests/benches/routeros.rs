// The benchmark lives with the crate (`cargo bench -p routeros-api --bench routeros`).
include!("../../src-tauri/crates/routeros-api/benches/routeros.rs");
