//! The agent's identity: who dials, from which extension, in which context, counted in which campaign.

use serde::{Deserialize, Serialize};

/// What AgentCall needs to know about the agent. Filled from AgentLogin; any field can be overridden by the agent
/// (settings), for servers whose records are incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Identity {
    /// Agent user name.
    pub agent: String,
    /// Display name.
    pub name: String,
    /// The agent's extension: it rings first, and HungupPhone hangs it up.
    pub extension: String,
    /// Dialplan context.
    pub context: String,
    /// Technology, usually `SIP`.
    pub tech: String,
    /// The number calls go out with (the campaign's DID); may be empty.
    pub callerid: String,
    /// The default outbound campaign.
    pub outqueue: String,
}

/// Overrides an agent may set; empty means "use the server's value".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct IdentityOverrides {
    /// Display name.
    pub name: String,
    /// Extension.
    pub extension: String,
    /// Dialplan context.
    pub context: String,
    /// Technology.
    pub tech: String,
    /// Caller id.
    pub callerid: String,
    /// Default campaign.
    pub outqueue: String,
}

impl Identity {
    /// The identity AgentLogin describes, with the agent's overrides on top.
    pub fn from_record(
        agent: &str,
        record: &integra::AgentRecord,
        overrides: &IdentityOverrides,
    ) -> Self {
        let pick = |o: &str, server: &str, default: &str| {
            [o, server, default]
                .into_iter()
                .find(|v| !v.trim().is_empty())
                .unwrap_or_default()
                .trim()
                .to_string()
        };
        Self {
            agent: agent.trim().to_string(),
            name: pick(&overrides.name, &record.fullname, agent),
            extension: pick(&overrides.extension, record.extension(), ""),
            context: pick(&overrides.context, &record.context, "agentes"),
            tech: pick(&overrides.tech, "", "SIP"),
            callerid: pick(&overrides.callerid, "", ""),
            outqueue: pick(&overrides.outqueue, "", ""),
        }
    }

    /// This identity with the agent's non-empty overrides applied (Settings changed after the sign-in).
    pub fn with_overrides(&self, o: &IdentityOverrides) -> Identity {
        let pick = |o: &str, current: &str| {
            if o.trim().is_empty() {
                current.to_string()
            } else {
                o.trim().to_string()
            }
        };
        Identity {
            agent: self.agent.clone(),
            name: pick(&o.name, &self.name),
            extension: pick(&o.extension, &self.extension),
            context: pick(&o.context, &self.context),
            tech: pick(&o.tech, &self.tech),
            callerid: pick(&o.callerid, &self.callerid),
            outqueue: pick(&o.outqueue, &self.outqueue),
        }
    }

    /// `SIP/1001`, for AgentLogoff.
    pub fn interface(&self) -> String {
        format!("{}/{}", self.tech, self.extension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_and_defaults_fill_gaps() {
        let record = integra::AgentRecord::parse(
            r#"{"callerid":"1001","context":"","fullname":"Alice Agent","md5secret":"x"}"#,
        )
        .unwrap();
        let identity = Identity::from_record(
            "alice",
            &record,
            &IdentityOverrides {
                callerid: "59821234567".into(),
                ..Default::default()
            },
        );
        assert_eq!(identity.extension, "1001");
        assert_eq!(
            identity.context, "agentes",
            "an empty context falls back to uContact's usual one"
        );
        assert_eq!(identity.tech, "SIP");
        assert_eq!(identity.callerid, "59821234567");
        assert_eq!(identity.interface(), "SIP/1001");
        let changed = identity.with_overrides(&IdentityOverrides {
            outqueue: "Cobranzas->".into(),
            ..Default::default()
        });
        assert_eq!(
            (changed.outqueue.as_str(), changed.callerid.as_str()),
            ("Cobranzas->", "59821234567")
        );
    }
}
