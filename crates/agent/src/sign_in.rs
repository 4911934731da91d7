//! Signing in from the form, as one transaction: what the form proposes for the settings (server, user, identity
//! fields) is checked against the machine policy before anything is sent; AgentLogin; then the settings keep the
//! server and the user through their one writer, so the next start signs in by itself.

use serde::Deserialize;

use crate::profile::IdentityOverrides;
use crate::session::{Password, Session};
use crate::settings::Settings;
use crate::settings_store::SettingsStore;
use agent_error::Result;
use keychain::SecretStore;

/// The sign-in form as the window sends it.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    /// The server's address as typed.
    pub server_url: String,
    /// The agent's user name.
    pub agent: String,
    /// The password (kept in memory, then in the keychain).
    pub password: String,
    /// Identity fields typed on the form; an empty one keeps what Settings or the policy preset.
    #[serde(default)]
    pub overrides: IdentityOverrides,
}

/// Signs in with `form`; on success the settings keep the server (unless the policy locks it), the user and the
/// identity fields. Refused before anything is sent when the form would change a locked setting.
pub async fn sign_in(
    settings: &SettingsStore,
    secrets: &dyn SecretStore,
    form: SignInForm,
) -> Result<Session> {
    let password = Password::new(form.password);
    let current = settings.get();
    let overrides = kept_overrides(form.overrides, &current.identity);
    let proposed = proposed(&current, &form.server_url, &form.agent, &overrides);
    settings.policy().check(&current, &proposed)?;
    let session = Session::sign_in_trusting(
        &form.server_url,
        current.ca_certificate_path().as_deref(),
        &current.proxy,
        &form.agent,
        &password,
        &overrides,
        secrets,
    )
    .await?;
    let server_locked = settings.policy().is_locked("server_url");
    settings.update(|settings| {
        if !server_locked {
            settings.server_url = session.server_url.clone();
        }
        settings.agent_user = session.identity.agent.clone();
        settings.identity = overrides;
    })?;
    Ok(session)
}

/// The settings the form proposes: a server typed differently from the current one (trailing slashes aside), the
/// user and the identity fields.
fn proposed(
    current: &Settings,
    server_url: &str,
    agent: &str,
    overrides: &IdentityOverrides,
) -> Settings {
    let mut proposed = current.clone();
    if server_url.trim().trim_end_matches('/') != current.server_url.trim_end_matches('/') {
        proposed.server_url = server_url.trim().to_string();
    }
    proposed.agent_user = agent.trim().to_string();
    proposed.identity = overrides.clone();
    proposed
}

/// The form's identity fields start empty: an untouched one keeps what Settings or the policy preset.
fn kept_overrides(typed: IdentityOverrides, current: &IdentityOverrides) -> IdentityOverrides {
    let keep = |typed: String, current: &str| {
        if typed.trim().is_empty() {
            current.to_string()
        } else {
            typed
        }
    };
    IdentityOverrides {
        name: keep(typed.name, &current.name),
        extension: keep(typed.extension, &current.extension),
        context: keep(typed.context, &current.context),
        tech: keep(typed.tech, &current.tech),
        callerid: keep(typed.callerid, &current.callerid),
        outqueue: keep(typed.outqueue, &current.outqueue),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_untouched_identity_field_keeps_what_settings_or_the_policy_set() {
        let current = IdentityOverrides {
            extension: "1001".into(),
            callerid: "59821234567".into(),
            ..IdentityOverrides::default()
        };
        let typed = IdentityOverrides {
            extension: "  ".into(),
            name: "Alice".into(),
            ..IdentityOverrides::default()
        };
        let kept = kept_overrides(typed, &current);
        assert_eq!(kept.extension, "1001");
        assert_eq!(kept.callerid, "59821234567");
        assert_eq!(kept.name, "Alice");
    }

    #[test]
    fn the_same_server_typed_with_a_slash_is_no_change() {
        let current = Settings {
            server_url: "https://pbx.example".into(),
            ..Settings::default()
        };
        let same = proposed(
            &current,
            " https://pbx.example/ ",
            "alice",
            &current.identity,
        );
        assert_eq!(same.server_url, "https://pbx.example");
        assert_eq!(same.agent_user, "alice");
        let other = proposed(
            &current,
            "https://other.example",
            "alice",
            &current.identity,
        );
        assert_eq!(other.server_url, "https://other.example");
    }

    #[tokio::test]
    async fn a_form_that_changes_a_locked_server_is_refused_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let policy = crate::policy::Policy::parse(
            "policy.toml",
            "locked = [\"server_url\"]\n[settings]\nserver_url = \"https://pbx.example\"\n",
        );
        let store = SettingsStore::load(policy, dir.path().join("settings.toml"));
        let form = SignInForm {
            // Unreachable on purpose: the refusal must come first.
            server_url: "https://127.0.0.1:9".into(),
            agent: "alice".into(),
            password: "secret".into(),
            overrides: IdentityOverrides::default(),
        };
        let err = sign_in(&store, &keychain::MemoryStore::default(), form)
            .await
            .unwrap_err();
        assert_eq!(err.code(), agent_error::ErrorCode::LockedSetting);
        assert!(!store.file().exists(), "nothing saved");
    }
}
