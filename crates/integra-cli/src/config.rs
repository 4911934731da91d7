//! Settings, layered: built-in defaults < the TOML file < environment (INTEGRA_SERVER, INTEGRA_USER) < flags.
//! The file never holds a password or a token.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::cli::Cli;
use crate::failure::Failure;

/// What the TOML file may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    server: Option<String>,
    user: Option<String>,
    api_user: Option<bool>,
    timeout_secs: Option<u64>,
    ca_certificate: Option<PathBuf>,
}

/// The resolved settings.
#[derive(Debug)]
pub struct Config {
    /// Server root.
    pub server: String,
    /// User name.
    pub user: String,
    /// Sign in with getUserToken.
    pub api_user: bool,
    /// Request timeout.
    pub timeout: Duration,
    /// Extra CA certificate (PEM) for on-premise servers.
    pub ca_certificate: Option<PathBuf>,
}

fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("ucontact-agent-companion").join("integra.toml"))
}

fn read_file(path: &Path, explicit: bool) -> Result<FileConfig, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            toml::from_str(&text).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(FileConfig::default())
        }
        Err(e) => Err(Failure::usage(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

impl Config {
    /// Resolves the settings for this run.
    pub fn resolve(cli: &Cli) -> Result<Self, Failure> {
        let file = match (&cli.config, default_path()) {
            (Some(path), _) => read_file(path, true)?,
            (None, Some(path)) => read_file(&path, false)?,
            (None, None) => FileConfig::default(),
        };
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let server = cli.server.clone().or_else(|| env("INTEGRA_SERVER")).or(file.server).ok_or_else(|| {
            Failure::usage("no server: pass --server URL, set INTEGRA_SERVER, or put server = \"...\" in the config file")
        })?;
        let user = cli
            .user
            .clone()
            .or_else(|| env("INTEGRA_USER"))
            .or(file.user)
            .ok_or_else(|| Failure::usage("no user: pass --user NAME, set INTEGRA_USER, or put user = \"...\" in the config file"))?;
        Ok(Self {
            server,
            user,
            api_user: cli.api_user || file.api_user.unwrap_or(false),
            timeout: Duration::from_secs(cli.timeout.or(file.timeout_secs).unwrap_or(15)),
            ca_certificate: file.ca_certificate,
        })
    }

    /// A client for this server.
    pub fn client(&self) -> Result<integra::Client, Failure> {
        let mut builder = integra::Client::builder(&self.server).timeout(self.timeout);
        if let Some(path) = &self.ca_certificate {
            let pem = std::fs::read(path)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
            builder = builder.extra_root_certificate_pem(pem);
        }
        Ok(builder.build()?)
    }
}
