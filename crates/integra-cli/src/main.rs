//! `integra`: the uContact Integra API from the command line, for contact-center admins and scripts.
//! Sessions, settings and exit codes are explained in `integra --help`; the code for them is in `session.rs`,
//! `config.rs` and `failure.rs`.

mod cli;
mod commands;
mod config;
mod failure;
mod keychain;
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
            eprintln!("integra: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
