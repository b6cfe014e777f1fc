//! The tray icon: a status line (refreshed by `status.rs`), "Buka mikrobill" shows the window,
//! "Keluar" quits (which stops the backend and its PostgreSQL).

use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{App, AppHandle, Manager, Wry};

use crate::window;

pub(crate) const ID: &str = "main";
const STATUS: &str = "status";
const OPEN: &str = "open";
const QUIT: &str = "quit";

/// The disabled first menu item that shows the status line (managed state).
pub(crate) struct StatusItem(pub MenuItem<Wry>);

pub(crate) fn install(app: &App) -> tauri::Result<()> {
    let status = MenuItem::with_id(app, STATUS, "Memuat status…", false, None::<&str>)?;
    let open = MenuItem::with_id(app, OPEN, "Buka mikrobill", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let separator2 = PredefinedMenuItem::separator(app)?;
    let quit = MenuItem::with_id(app, QUIT, "Keluar", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&status, &separator, &open, &separator2, &quit])?;

    let mut tray = TrayIconBuilder::with_id(ID)
        .tooltip("mikrobill")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu_event)
        .on_tray_icon_event(on_tray_icon_event);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(StatusItem(status));
    Ok(())
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => window::reveal(app),
        QUIT => app.exit(0),
        other => tracing::debug!(id = other, "unknown tray menu item"),
    }
}

/// A left click opens the window (Windows/macOS; Linux trays only show the menu).
fn on_tray_icon_event(tray: &TrayIcon, event: TrayIconEvent) {
    if let TrayIconEvent::Click {
        button: MouseButton::Left,
        button_state: MouseButtonState::Up,
        ..
    } = event
    {
        window::reveal(tray.app_handle());
    }
}
