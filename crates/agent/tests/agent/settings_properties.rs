//! Saving settings never loses a choice: any settings the app accepts read back the same from the saved text,
//! whatever characters the agent typed into them.

use agent::profile::IdentityOverrides;
use agent::settings::Settings;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| s.chars().take(24).collect())
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (
            prop_oneof![
                Just(String::new()),
                text().prop_map(|s| format!("https://{s}"))
            ],
            text(),
        ),
        proptest::collection::vec(text(), 6),
        proptest::collection::vec(text(), 0..4),
        text(),
        (
            any::<bool>(),
            proptest::option::of(any::<bool>()),
            any::<bool>(),
            any::<bool>(),
        ),
        proptest::sample::select(vec!["auto", "en", "es"]),
    )
        .prop_map(
            |((server_url, agent_user), id, campaigns, default_campaign, flags, language)| {
                Settings {
                    server_url,
                    agent_user,
                    identity: IdentityOverrides {
                        name: id[0].clone(),
                        extension: id[1].clone(),
                        context: id[2].clone(),
                        tech: id[3].clone(),
                        callerid: id[4].clone(),
                        outqueue: id[5].clone(),
                    },
                    campaigns,
                    default_campaign,
                    require_wrap_up: flags.0,
                    autostart: flags.1,
                    start_hidden: flags.2,
                    notifications: flags.3,
                    language: language.into(),
                    ..Settings::default()
                }
            },
        )
}

proptest! {
    #[test]
    fn saved_settings_load_back_unchanged(settings in settings()) {
        let saved = settings.to_toml().unwrap();
        prop_assert_eq!(Settings::parse("settings.toml", &saved).unwrap(), settings);
    }
}

#[test]
fn save_and_load_through_the_file_agree_with_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    let settings = Settings {
        agent_user: "Núñez \"el\" \\ agente\u{7}".into(),
        campaigns: vec!["Ventas->".into(), "línea\nnueva".into()],
        ..Settings::default()
    };
    settings.save(&path).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        settings.to_toml().unwrap()
    );
    assert_eq!(Settings::load(&path).unwrap(), settings);
}
