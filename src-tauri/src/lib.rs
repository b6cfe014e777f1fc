//! The mikrobill desktop shell: a Tauri window and a tray icon around
//! [`billing_runtime::Application`].
//!
//! The shell is deliberately thin. It shows a bundled loading page, starts the composition root on
//! Tauri's async runtime, points the window at the dashboard the admin listener serves, and stops
//! the runtime (listeners, scheduler, embedded Postgres) exactly once when the app exits — whether
//! through the window, the tray, a second launch's signal or SIGTERM/Ctrl-C.

mod backend;
mod commands;
mod events;
mod prefs;
mod signals;
mod status;
mod tray;
mod window;

use std::process::ExitCode;

use billing_runtime::Settings;
use tauri::{App, Manager, RunEvent, WindowEvent};
use tauri_plugin_window_state::StateFlags;

use crate::backend::Backend;
use crate::commands::Paths;
use crate::prefs::PrefsStore;

/// Runs the desktop app until it exits. Called by `billing_runtime::cli::main` when the command
/// line has no subcommand.
pub fn run(settings: Settings) -> ExitCode {
    let backend = Backend::default();
    let setup_backend = backend.clone();

    let paths = Paths {
        data_dir: settings.data_dir.clone(),
        logs_dir: settings.data_dir.join("logs"),
    };
    let prefs = PrefsStore::open(&settings.data_dir);

    let app = tauri::Builder::default()
        // Must be the first plugin: a second launch forwards to the running instance and exits
        // before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            window::reveal(app);
        }))
        // Size and position are remembered; visibility is not (a quit from the tray while the
        // window was hidden must not start the next run hidden).
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() & !StateFlags::VISIBLE)
                .build(),
        )
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(paths)
        .manage(prefs)
        .invoke_handler(tauri::generate_handler![
            commands::desktop_info,
            commands::set_desktop_prefs,
            commands::open_folder
        ])
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let to_tray = window
                    .app_handle()
                    .state::<PrefsStore>()
                    .get()
                    .close_to_tray;
                if to_tray && window.label() == window::MAIN {
                    api.prevent_close();
                    if let Err(error) = window.hide() {
                        tracing::warn!(%error, "could not hide the window");
                    }
                }
            }
        })
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
    let autostart = app.state::<PrefsStore>().get().autostart;
    if let Err(error) = commands::apply_autostart(app.handle(), autostart) {
        tracing::warn!(%error, "start with the system not applied");
    }
    signals::exit_on_termination(app.handle().clone());
    backend.start(app.handle().clone(), settings);
}
