//! Owns the `Application` for the lifetime of the window: builds it in the background and shuts it
//! down exactly once on exit, even when the exit arrives while it is still starting.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use billing_runtime::{Application, Settings};
use tauri::async_runtime::JoinHandle;
use tauri::AppHandle;
use tokio::sync::Mutex;

use crate::{commands, events, status, window};

/// Cheap to clone; all clones share one application slot.
#[derive(Clone, Default)]
pub(crate) struct Backend {
    /// The running application. `None` before it is built (the build task holds the lock
    /// meanwhile), after it is shut down, or when startup failed.
    slot: Arc<Mutex<Option<Application>>>,
    startup_failed: Arc<AtomicBool>,
    /// Event forwarding and the tray status refresh; aborted before the application stops.
    tasks: Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>,
}

impl Backend {
    /// Builds the application on Tauri's async runtime, then shows the dashboard or the error.
    ///
    /// The slot stays locked for the whole build, so an exit requested meanwhile waits for the
    /// build to finish and then stops what it started (no orphaned Postgres).
    pub(crate) fn start(&self, app: AppHandle, settings: Settings) {
        let Ok(mut slot) = Arc::clone(&self.slot).try_lock_owned() else {
            tracing::error!("the application is already being started");
            return;
        };
        let startup_failed = Arc::clone(&self.startup_failed);
        let tasks = Arc::clone(&self.tasks);
        tauri::async_runtime::spawn(async move {
            match Application::build(settings).await {
                Ok(application) => {
                    let admin_url = application.admin_url();
                    let ctx = application.context().clone();
                    tasks.lock().unwrap_or_else(|p| p.into_inner()).extend([
                        tauri::async_runtime::spawn(events::forward(app.clone(), ctx.clone())),
                        tauri::async_runtime::spawn(status::refresh(app.clone(), ctx)),
                    ]);
                    commands::grant_to_dashboard(&app, &admin_url);
                    *slot = Some(application);
                    // Release before touching the window: window calls may need the main thread,
                    // which an exit in progress blocks on this lock.
                    drop(slot);
                    tracing::info!(%admin_url, "mikrobill started");
                    window::show_dashboard(&app, &admin_url);
                }
                Err(error) => {
                    drop(slot);
                    startup_failed.store(true, Ordering::SeqCst);
                    tracing::error!(%error, "mikrobill could not start");
                    window::show_startup_error(&app, &error.to_string());
                }
            }
        });
    }

    /// Stops the application if it runs, blocking the caller until listeners, scheduler and the
    /// embedded Postgres are down. Only the first call does anything.
    pub(crate) fn shutdown_blocking(&self) {
        for task in self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            task.abort();
        }
        tauri::async_runtime::block_on(async {
            let running = self.slot.lock().await.take();
            if let Some(application) = running {
                tracing::info!("stopping mikrobill");
                application.shutdown().await;
            }
        });
    }

    pub(crate) fn startup_failed(&self) -> bool {
        self.startup_failed.load(Ordering::SeqCst)
    }
}
