fn main() {
    // The app's own commands get ACL permissions (`allow-desktop-info`, …) so they can be granted
    // to the dashboard's origin only (src/commands.rs).
    let manifest = tauri_build::AppManifest::new().commands(&[
        "desktop_info",
        "set_desktop_prefs",
        "open_folder",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
