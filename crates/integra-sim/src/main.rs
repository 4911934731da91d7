//! `integra-sim`: runs the uContact simulator until interrupted.
//!
//! Prints `integra-sim listening on http://ADDR` on stdout once the port is bound, so scripts can wait for it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use integra_sim::{Faults, Seed, SimConfig};

/// A stateful uContact (Integra REST API) simulator for tests, demos and benchmarks.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed data (JSON: agents, api_users, campaigns, dispositions, recordings). Default: the built-in demo data.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Seconds a session token stays valid.
    #[arg(long, default_value_t = 8 * 3600)]
    token_ttl: u64,
    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Milliseconds the agent's phone rings before a call counts as connected.
    #[arg(long, default_value_t = 0)]
    answer_delay_ms: u64,
    /// Answer 404 on this endpoint (below Integra/resources/), like an older uContact version; repeatable.
    #[arg(long = "missing-endpoint")]
    missing_endpoints: Vec<String>,
    /// Log every request to stderr.
    #[arg(long)]
    verbose: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(if args.verbose { "info" } else { "warn" })
        .init();
    let seed = match &args.seed {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Seed::from_json(&text)
                .map_err(|e| format!("{} is not a valid seed: {e}", path.display()))?
        }
        None => Seed::demo(),
    };
    let config = SimConfig {
        seed,
        token_ttl: Duration::from_secs(args.token_ttl),
        answer_delay: Duration::from_millis(args.answer_delay_ms),
        missing_endpoints: args.missing_endpoints.clone(),
        faults: Faults {
            latency_ms: args.latency_ms,
            ..Faults::default()
        },
    };
    let sim = integra_sim::spawn(config, args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    println!("integra-sim listening on {}", sim.base_url());
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
