//! The mikrobill desktop shell: a Tauri window and a tray icon around
//! [`billing_runtime::Application`].
//!
//! The shell is deliberately thin. It shows a bundled loading page, starts the composition root on
//! Tauri's async runtime, points the window at the dashboard the admin listener serves, and stops
//! the runtime (listeners, scheduler, embedded Postgres) exactly once when the app exits — whether
//! through the window, the tray, a second launch's signal or SIGTERM/Ctrl-C.

mod backend;
mod signals;
mod tray;
mod window;

use std::process::ExitCode;

use billing_runtime::Settings;
use tauri::{App, Manager, RunEvent};

use crate::backend::Backend;

/// Runs the desktop app until it exits. Called by `billing_runtime::cli::main` when the command
/// line has no subcommand.
pub fn run(settings: Settings) -> ExitCode {
    let backend = Backend::default();
    let setup_backend = backend.clone();

    let app = tauri::Builder::default()
        // Must be the first plugin: a second launch forwards to the running instance and exits
        // before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::reveal(app);
        }))
        .setup(move |app| {
            setup(app, settings, &setup_backend);
            Ok(())
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "the desktop window could not be created");
            return ExitCode::FAILURE;
        }
    };

    let exit_backend = backend.clone();
    let code = app.run_return(move |_app, event| {
        if let RunEvent::Exit = event {
            exit_backend.shutdown_blocking();
        }
    });
    // In case the event loop ended without an `Exit` event; a no-op otherwise.
    backend.shutdown_blocking();

    if backend.startup_failed() {
        return ExitCode::FAILURE;
    }
    u8::try_from(code).map_or(ExitCode::FAILURE, ExitCode::from)
}

/// Everything that needs the running app. Never fails: problems are logged and the window stays
/// open so the user can read what went wrong.
fn setup(app: &mut App, mut settings: Settings, backend: &Backend) {
    match app.path().resource_dir() {
        Ok(dir) => settings.resource_dir = Some(dir),
        Err(error) => tracing::warn!(%error, "no resource directory; bundled Postgres unavailable"),
    }
    if let Err(error) = tray::install(app) {
        tracing::warn!(%error, "the tray icon could not be created; continuing without it");
    }
    signals::exit_on_termination(app.handle().clone());
    backend.start(app.handle().clone(), settings);
}
