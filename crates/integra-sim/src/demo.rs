//! The built-in demo data: two agents, an API user, three campaigns, a dispositions table in Spanish and one
//! recording of each storage kind. The data itself is `demo.json`, the same shape `--seed FILE.json` takes, so it
//! doubles as the example seed file.

use crate::seed::Seed;

/// The demo seed as JSON (also a valid `--seed` file).
pub const DEMO_SEED_JSON: &str = include_str!("demo.json");

impl Seed {
    /// The built-in demo data (see `demo.json`).
    pub fn demo() -> Self {
        Seed::from_json(DEMO_SEED_JSON)
            .expect("the built-in demo seed is valid JSON of the seed shape")
    }
}

#[cfg(test)]
mod tests {
    use crate::seed::{FileLocation, Seed};

    #[test]
    fn demo_has_agents_campaigns_dispositions_and_each_kind_of_recording() {
        let seed = Seed::demo();
        let alice = seed.agents.iter().find(|a| a.agent == "alice").unwrap();
        assert_eq!(
            (alice.extension.as_str(), alice.context.as_str()),
            ("1001", "agentes")
        );
        assert!(seed.api_users.iter().any(|u| u.user == "admin"));
        for name in ["Ventas->", "Cobranzas->", "Soporte<-"] {
            assert!(seed.campaigns.iter().any(|c| c.name == name), "{name}");
        }
        assert!(
            seed.dispositions
                .iter()
                .filter(|d| d.campaign == "Ventas->")
                .count()
                >= 6
        );
        for location in [
            FileLocation::Root,
            FileLocation::Dated,
            FileLocation::GsmOnly,
        ] {
            assert!(
                seed.recordings.iter().any(|r| r.location == location),
                "{location:?}"
            );
        }
    }
}
