//! `integra`: the uContact Integra API from the command line. See `integra --help`, and `failure.rs` for exit codes.

mod cli;
mod commands;
mod config;
mod failure;
mod output;
mod session;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("integra: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
