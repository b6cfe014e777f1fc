//! `mikrobill routeros-sim`: run the simulator from the command line.

use std::net::SocketAddr;
use std::time::Duration;

use super::{CostModel, Faults, SimConfig, SimTls, SimVersion, Simulator};

/// Command-line options of the simulator.
#[derive(Debug, Clone, clap::Args)]
pub struct SimArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8728")]
    pub listen: SocketAddr,
    /// API user name.
    #[arg(long, default_value = "admin")]
    pub user: String,
    /// API password (empty, as on a router fresh from the box).
    #[arg(long, default_value = "")]
    pub password: String,
    /// RouterOS version to imitate (e.g. 6.42, 6.49.17, 7.18.2).
    #[arg(long, default_value = "7.18.2", value_parser = parse_version)]
    pub version: SimVersion,
    /// Simulated round trip: each reply leaves this many milliseconds after its command.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Serve api-ssl with a self-signed certificate instead of plain api.
    #[arg(long)]
    pub tls: bool,
    /// Make commands cost router time, one connection's commands one after another (see
    /// `CostModel`): `default` for the hEX-class estimates, or
    /// `<per command µs>,<per write µs>,<per add per 1,000 rows µs>,<per printed row µs>`.
    #[arg(long, value_parser = parse_cost_model)]
    pub cost_model: Option<CostModel>,
    /// Hotspot users to create at start (`user1`, `user2`, …) for demos.
    #[arg(long, default_value_t = 0)]
    pub seed_users: usize,
}

fn parse_version(s: &str) -> Result<SimVersion, String> {
    s.parse()
}

fn parse_cost_model(s: &str) -> Result<CostModel, String> {
    if s == "default" {
        return Ok(CostModel::default());
    }
    let parts: Vec<u64> = s
        .split(',')
        .map(|p| p.trim().parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{s:?}: expected `default` or four numbers of microseconds"))?;
    let [command, write, per_1000, per_row] = parts[..] else {
        return Err(format!(
            "{s:?}: expected four numbers of microseconds (per command, per write, \
             per add per 1,000 rows, per printed row)"
        ));
    };
    Ok(CostModel {
        per_command: Duration::from_micros(command),
        per_write: Duration::from_micros(write),
        per_add_per_1000_rows: Duration::from_micros(per_1000),
        per_row_printed: Duration::from_micros(per_row),
    })
}

#[derive(Debug, clap::Parser)]
#[command(name = "routeros-sim", about = "RouterOS API simulator")]
struct Cli {
    #[command(flatten)]
    args: SimArgs,
}

impl SimArgs {
    /// The simulator configuration these options describe.
    pub fn config(&self) -> SimConfig {
        SimConfig {
            addr: self.listen,
            username: self.user.clone(),
            password: self.password.clone(),
            version: self.version,
            tls: if self.tls {
                SimTls::SelfSigned
            } else {
                SimTls::Off
            },
            faults: Faults {
                latency: Duration::from_millis(self.latency_ms),
                cost: self.cost_model,
                ..Faults::default()
            },
            ..SimConfig::default()
        }
    }
}

/// Runs the simulator until Ctrl-C.
pub async fn run(args: SimArgs) -> std::io::Result<()> {
    let sim = Simulator::start(args.config()).await?;
    if args.seed_users > 0 {
        sim.seed_hotspot_users("user", args.seed_users)
            .map_err(std::io::Error::other)?;
    }
    println!(
        "RouterOS simulator {} listening on {}{} (user {:?}); Ctrl-C to stop",
        args.version,
        sim.addr(),
        if args.tls { " (api-ssl)" } else { "" },
        args.user
    );
    tokio::signal::ctrl_c().await?;
    sim.shutdown();
    Ok(())
}

/// Parses `args` (program name first, as from `std::env::args`) and runs until Ctrl-C.
pub async fn run_cli<I, T>(args: I) -> std::io::Result<()>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::Parser;
    let cli = Cli::try_parse_from(args).map_err(|e| std::io::Error::other(e.to_string()))?;
    run(cli.args).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn cli_flags_map_to_config() {
        let cli = Cli::try_parse_from([
            "routeros-sim",
            "--listen",
            "127.0.0.1:0",
            "--user",
            "u",
            "--password",
            "p",
            "--version",
            "6.49",
            "--latency-ms",
            "20",
        ])
        .expect("valid flags");
        let cfg = cli.args.config();
        assert_eq!(cfg.username, "u");
        assert_eq!(cfg.version, SimVersion::new(6, 49, 0));
        assert_eq!(cfg.faults.latency, Duration::from_millis(20));
        let defaults = Cli::try_parse_from(["routeros-sim"]).expect("defaults");
        assert_eq!(defaults.args.user, "admin");
        assert_eq!(defaults.args.password, "");
        assert_eq!(defaults.args.config().faults.cost, None);
    }

    #[test]
    fn the_cost_model_flag_takes_the_defaults_or_four_figures() {
        let on = Cli::try_parse_from(["routeros-sim", "--cost-model", "default"]).expect("default");
        assert_eq!(on.args.config().faults.cost, Some(CostModel::default()));
        let own = Cli::try_parse_from(["routeros-sim", "--cost-model", "100,2000,50,10"])
            .expect("four figures");
        assert_eq!(
            own.args.config().faults.cost,
            Some(CostModel {
                per_command: Duration::from_micros(100),
                per_write: Duration::from_micros(2_000),
                per_add_per_1000_rows: Duration::from_micros(50),
                per_row_printed: Duration::from_micros(10),
            })
        );
        let err = Cli::try_parse_from(["routeros-sim", "--cost-model", "1,2"])
            .expect_err("two figures")
            .to_string();
        assert!(err.contains("four numbers"), "{err}");
    }
}
