//! `integra-sim`: runs the uContact simulator until interrupted.
//!
//! Prints `integra-sim listening on http://ADDR` on stdout once the port is bound, so scripts can wait for that
//! line; logs each request at info level on stderr (method, path, status, time; never tokens or form fields).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use integra_sim::{Faults, Seed, SimConfig, DEMO_SEED_JSON};
use tracing_subscriber::EnvFilter;

/// A stateful uContact (Integra REST API) simulator for tests, demos and benchmarks.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Seed data (JSON: agents, api_users, campaigns, dispositions, recordings); see --print-demo-seed for the
    /// shape. Default: the built-in demo data.
    #[arg(long, value_name = "FILE.json")]
    seed: Option<PathBuf>,
    /// Print the built-in demo seed (a valid --seed file) and exit.
    #[arg(long)]
    print_demo_seed: bool,
    /// Seconds a session token stays valid.
    #[arg(long, default_value_t = 8 * 3600, value_name = "SECS")]
    token_ttl: u64,
    /// Milliseconds the agent's phone rings before a call counts as connected.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    answer_delay_ms: u64,
    /// Delay added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Answer HTTP 500 to the next N requests.
    #[arg(long, default_value_t = 0, value_name = "N")]
    fail_next: u32,
    /// Close the connection without answering the next N requests.
    #[arg(long, default_value_t = 0, value_name = "N")]
    drop_next: u32,
    /// Answer `0` to the next N requests.
    #[arg(long, default_value_t = 0, value_name = "N")]
    zero_next: u32,
    /// Answer a 502 HTML error page to the next N requests.
    #[arg(long, default_value_t = 0, value_name = "N")]
    html_next: u32,
    /// Carry out the next N requests, then close the connection instead of answering.
    #[arg(long, default_value_t = 0, value_name = "N")]
    lose_answer_next: u32,
    /// Answer HTTP 500 to this share of requests (0.0 to 1.0; every 1/RATE-th request, not at random).
    #[arg(long, default_value_t = 0.0, value_name = "RATE", value_parser = parse_rate)]
    fail_rate: f64,
    /// Apply the faults above only to requests whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    fault_path: Option<String>,
    /// Answer 404 on this endpoint (below Integra/resources/, e.g. auth/getUserToken), like an older uContact;
    /// repeatable.
    #[arg(long = "missing-endpoint", value_name = "ENDPOINT")]
    missing_endpoints: Vec<String>,
    /// Answer 411 Length Required to a request body sent without Content-Length (chunked), like a strict server.
    #[arg(long)]
    require_content_length: bool,
    /// Seconds added to the server's clock in the Date header of every answer (negative: behind).
    #[arg(
        long,
        default_value_t = 0,
        value_name = "SECS",
        allow_negative_numbers = true
    )]
    clock_offset_secs: i64,
}

fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("{text:?} is not a share between 0.0 and 1.0")),
    }
}

fn load_seed(path: Option<&PathBuf>) -> Result<Seed, String> {
    let Some(path) = path else {
        return Ok(Seed::demo());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Seed::from_json(&text).map_err(|e| format!("{} is not a valid seed: {e}", path.display()))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    if args.print_demo_seed {
        print!("{DEMO_SEED_JSON}");
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = SimConfig {
        seed: load_seed(args.seed.as_ref())?,
        token_ttl: Duration::from_secs(args.token_ttl),
        answer_delay: Duration::from_millis(args.answer_delay_ms),
        missing_endpoints: args.missing_endpoints,
        require_content_length: args.require_content_length,
        clock_offset: chrono::TimeDelta::seconds(args.clock_offset_secs),
        faults: Faults {
            latency_ms: args.latency_ms,
            fail_next: args.fail_next,
            drop_next: args.drop_next,
            zero_next: args.zero_next,
            html_next: args.html_next,
            lose_answer_next: args.lose_answer_next,
            fail_rate: args.fail_rate,
            path_contains: args.fault_path,
        },
    };
    let sim = integra_sim::spawn(config, args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    println!("integra-sim listening on {}", sim.base_url());
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    sim.shutdown().await;
    Ok(())
}
