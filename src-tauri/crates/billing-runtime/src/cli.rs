//! The `mikrobill` command line. With no subcommand it opens the desktop window (the
//! shell passes that in); everything else runs headless.

use billing_app::access::auth::OwnerPolicy;
use billing_app::AppContext;
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead as _, IsTerminal as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::database::Database;
use crate::secrets::SecretStore;
use crate::settings::Overrides;
use crate::{init_tracing, Application, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "mikrobill",
    version,
    about = "Billing for RT/RW Net ISPs on MikroTik routers"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Data directory (cluster, logs, settings.toml). Default: the platform's app data dir.
    #[arg(long, global = true, env = "MIKROBILL_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use a PostgreSQL server by URL instead of the built-in cluster.
    #[arg(
        long,
        global = true,
        env = "MIKROBILL_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run headless: both listeners and the scheduler, no window.
    Serve {
        /// Admin listener (dashboard + API), loopback only.
        #[arg(long)]
        admin_addr: Option<SocketAddr>,
        /// Public listener (pay pages, gateway webhooks) — the address you tunnel.
        #[arg(long)]
        public_addr: Option<SocketAddr>,
        /// Seed demo data and start the built-in RouterOS simulator.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage dashboard accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print the OpenAPI document of the admin API.
    Openapi,
    /// Run the built-in RouterOS API simulator (for demos and benchmarks).
    RouterosSim(routeros_api::sim::SimArgs),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an owner account. The password is read from stdin (or prompted).
    Create {
        #[arg(long)]
        username: String,
    },
    /// Set a new password for an account. The password is read from stdin (or prompted).
    ResetPassword {
        #[arg(long)]
        username: String,
    },
}

/// Entry point of the `mikrobill` binary. `desktop` opens the window.
pub fn main(desktop: fn(Settings) -> ExitCode) -> ExitCode {
    let cli = Cli::parse();
    let demo = matches!(cli.command, Some(Command::Serve { demo: true, .. }));
    let (admin_addr, public_addr) = match &cli.command {
        Some(Command::Serve {
            admin_addr,
            public_addr,
            ..
        }) => (*admin_addr, *public_addr),
        _ => (None, None),
    };
    let overrides = Overrides {
        data_dir: cli.global.data_dir.clone(),
        database_url: cli.global.database_url.clone(),
        admin_addr,
        public_addr,
        demo,
    };
    let settings = match Settings::load(&overrides) {
        Ok(s) => s,
        Err(err) => return fail(&err),
    };
    let _guard = init_tracing(&settings);
    match cli.command {
        None => desktop(settings),
        Some(Command::Openapi) => {
            println!("{}", billing_http::openapi_json());
            ExitCode::SUCCESS
        }
        Some(command) => match tokio::runtime::Runtime::new() {
            Ok(rt) => rt.block_on(run(command, settings)),
            Err(err) => fail(&err),
        },
    }
}

async fn run(command: Command, settings: Settings) -> ExitCode {
    let result = match command {
        Command::Serve { .. } => serve(settings).await,
        Command::Migrate => {
            with_database(settings, |_ctx| async { Ok("migrations applied".into()) }).await
        }
        Command::Admin {
            command: AdminCommand::Create { username },
        } => {
            let password = match read_password(true) {
                Ok(p) => p,
                Err(err) => return fail(&err),
            };
            with_database(settings, |ctx| async move {
                billing_app::access::auth::create_owner(
                    &ctx,
                    &username,
                    &password,
                    OwnerPolicy::Additional,
                )
                .await?;
                Ok(format!(
                    "owner account {:?} created",
                    username.trim().to_ascii_lowercase()
                ))
            })
            .await
        }
        Command::Admin {
            command: AdminCommand::ResetPassword { username },
        } => {
            let password = match read_password(true) {
                Ok(p) => p,
                Err(err) => return fail(&err),
            };
            with_database(settings, |ctx| async move {
                billing_app::access::auth::set_password(&ctx, &username, &password).await?;
                Ok(format!("password of {username:?} changed"))
            })
            .await
        }
        Command::Openapi => Ok(billing_http::openapi_json()),
        Command::RouterosSim(args) => routeros_api::sim::run(args)
            .await
            .map(|()| "simulator stopped".to_owned())
            .map_err(Into::into),
    };
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(err) => fail(&*err),
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn serve(settings: Settings) -> Result<String, BoxError> {
    let app = Application::build(settings).await?;
    println!("mikrobill berjalan / is running");
    println!("  Dasbor / Dashboard: {}", app.admin_url());
    println!("  Publik / Public:    http://{}/", app.public_addr());
    if let Some(banner) = app.demo_banner() {
        println!("  {banner}");
    }
    println!("Tekan Ctrl+C untuk berhenti / Press Ctrl+C to stop.");
    wait_for_signal().await;
    app.shutdown().await;
    Ok("stopped".into())
}

/// Opens just the database (starting the local cluster if no other process runs it),
/// runs `f`, and closes everything again. These tools are not serving instances: they do not
/// claim the database, so they work while the app runs (on this PC or another).
async fn with_database<F, Fut>(mut settings: Settings, f: F) -> Result<String, BoxError>
where
    F: FnOnce(AppContext) -> Fut,
    Fut: std::future::Future<Output = Result<String, billing_app::Error>>,
{
    crate::owner_only::create_data_dir(&settings.data_dir)?;
    let secrets = SecretStore::open(&settings.data_dir, &settings.secrets)?;
    let database = Database::open(&settings, &secrets, None).await?;
    // The same business zone as the running app (dates of a billing run, backup names).
    crate::app::apply_profile_timezone(&mut settings, &database.pool).await?;
    // Tokens are never issued by these commands; the signing key is not needed.
    let ctx = crate::app::context(
        &settings,
        &secrets,
        &database,
        crate::Ports::default(),
        secrecy::SecretString::from(String::new()),
        String::new(),
    )?;
    let result = f(ctx).await;
    database.close().await;
    Ok(result?)
}

fn read_password(confirm: bool) -> Result<String, std::io::Error> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        if confirm {
            let second = rpassword::prompt_password("Repeat password: ")?;
            if first != second {
                return Err(std::io::Error::other("the passwords do not match"));
            }
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// Waits for Ctrl+C or SIGTERM.
pub async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn fail(err: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("mikrobill: error: {err}");
    ExitCode::FAILURE
}
