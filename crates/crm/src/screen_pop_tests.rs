//! Which template opens for a call, when, and only once.

use crate::event::Moment;
use crate::fields::{CallFields, Direction};
use crate::screen_pop::{PopLedger, PopTemplate, PopWhen, ScreenPopProblem, ScreenPopSettings};
use crate::template::UrlTemplate;

#[derive(serde::Deserialize)]
struct SettingsFile {
    screen_pop: ScreenPopSettings,
}

fn load(text: &str) -> ScreenPopSettings {
    toml::from_str::<SettingsFile>(text).unwrap().screen_pop
}

fn template(url: &str, campaign: &str, direction: Option<Direction>, when: PopWhen) -> PopTemplate {
    PopTemplate {
        url: UrlTemplate::parse(url).unwrap(),
        campaign: campaign.to_string(),
        direction,
        when,
    }
}

fn call(campaign: &str, direction: Direction) -> CallFields {
    CallFields {
        campaign: campaign.to_string(),
        direction,
        ..CallFields::sample()
    }
}

const DOC_EXAMPLE: &str = r#"
[[screen_pop.templates]]
url = "https://crm.example/search?phone={number}&call={guid}"

[[screen_pop.templates]]
url = "https://crm.example/customers/{cti.data.customer_id}"
campaign = "Ventas"
direction = "outbound"
when = "dial"
"#;

#[test]
fn the_documented_settings_load_with_their_defaults() {
    let settings = load(DOC_EXAMPLE);
    assert_eq!(settings.templates.len(), 2);
    let default = &settings.templates[0];
    assert_eq!(
        (default.campaign.as_str(), default.direction, default.when),
        ("", None, PopWhen::Answer)
    );
    let ventas = &settings.templates[1];
    assert_eq!(
        (ventas.campaign.as_str(), ventas.direction, ventas.when),
        ("Ventas", Some(Direction::Outbound), PopWhen::Dial)
    );
    assert_eq!(settings.validate(), Ok(()));
    assert_eq!(load("[screen_pop]\n"), ScreenPopSettings::default());
}

#[test]
fn a_misspelt_key_or_a_bad_url_is_refused_by_name() {
    let err = toml::from_str::<SettingsFile>(
        "[[screen_pop.templates]]\nurl = \"https://crm.example/\"\ncampain = \"V\"\n",
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("campain"), "{err}");
    let err = toml::from_str::<SettingsFile>("[screen_pop]\ntemplate = []\n")
        .err()
        .unwrap();
    assert!(err.to_string().contains("template"), "{err}");
    let err = toml::from_str::<SettingsFile>(
        "[[screen_pop.templates]]\nurl = \"http://crm.example/{number}\"\n",
    )
    .err()
    .unwrap();
    assert!(
        err.to_string().contains("http is allowed only for"),
        "{err}"
    );
    let err = toml::from_str::<SettingsFile>(
        "[[screen_pop.templates]]\nurl = \"https://crm.example/\"\nwhen = \"hangup\"\n",
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("hangup"), "{err}");
}

#[test]
fn the_most_specific_template_wins() {
    let settings = ScreenPopSettings {
        templates: vec![
            template("https://crm.example/default", "", None, PopWhen::Answer),
            template(
                "https://crm.example/inbound",
                "",
                Some(Direction::Inbound),
                PopWhen::Answer,
            ),
            template(
                "https://crm.example/ventas",
                "Ventas",
                None,
                PopWhen::Answer,
            ),
            template(
                "https://crm.example/ventas-out",
                "Ventas",
                Some(Direction::Outbound),
                PopWhen::Answer,
            ),
        ],
    };
    let pick = |campaign, direction| {
        settings
            .template_for(campaign, direction)
            .unwrap()
            .url
            .as_str()
            .to_string()
    };
    assert_eq!(
        pick("Ventas", Direction::Outbound),
        "https://crm.example/ventas-out"
    );
    assert_eq!(
        pick("Ventas", Direction::Inbound),
        "https://crm.example/ventas"
    );
    assert_eq!(
        pick("Soporte", Direction::Inbound),
        "https://crm.example/inbound"
    );
    assert_eq!(
        pick("Soporte", Direction::Outbound),
        "https://crm.example/default"
    );
    // Campaign names are compared exactly.
    assert_eq!(
        pick("ventas", Direction::Outbound),
        "https://crm.example/default"
    );
}

#[test]
fn order_does_not_beat_specificity_but_breaks_ties() {
    let settings = ScreenPopSettings {
        templates: vec![
            template(
                "https://crm.example/out",
                "",
                Some(Direction::Outbound),
                PopWhen::Answer,
            ),
            template(
                "https://crm.example/ventas-1",
                "Ventas",
                None,
                PopWhen::Answer,
            ),
            template(
                "https://crm.example/ventas-2",
                "Ventas",
                None,
                PopWhen::Answer,
            ),
        ],
    };
    let picked = settings
        .template_for("Ventas", Direction::Outbound)
        .unwrap();
    assert_eq!(picked.url.as_str(), "https://crm.example/ventas-1");
}

#[test]
fn without_a_default_other_calls_get_no_pop() {
    let settings = ScreenPopSettings {
        templates: vec![template(
            "https://crm.example/v",
            "Ventas",
            None,
            PopWhen::Answer,
        )],
    };
    assert!(settings
        .template_for("Soporte", Direction::Inbound)
        .is_none());
    assert!(settings
        .automatic(Moment::Answered, &call("Soporte", Direction::Inbound))
        .is_none());
    assert!(settings
        .on_demand(&call("Soporte", Direction::Inbound))
        .is_none());
    assert!(ScreenPopSettings::default()
        .template_for("Ventas", Direction::Inbound)
        .is_none());
}

#[test]
fn each_when_fires_on_its_moment_only() {
    use Direction::{Inbound, Outbound};
    for moment in Moment::ALL {
        for direction in [Inbound, Outbound] {
            let expected = |when| match when {
                PopWhen::Ring => moment == Moment::Ringing && direction == Inbound,
                PopWhen::Dial => moment == Moment::Dialing && direction == Outbound,
                PopWhen::Answer => moment == Moment::Answered,
                PopWhen::OnDemand => false,
            };
            for when in [
                PopWhen::Ring,
                PopWhen::Answer,
                PopWhen::Dial,
                PopWhen::OnDemand,
            ] {
                assert_eq!(
                    when.fires_on(moment, direction),
                    expected(when),
                    "{when:?} {moment} {direction}"
                );
            }
        }
    }
    // Spot checks a reader can follow.
    assert!(PopWhen::Ring.fires_on(Moment::Ringing, Inbound));
    assert!(!PopWhen::Ring.fires_on(Moment::Ringing, Outbound));
    assert!(PopWhen::Answer.fires_on(Moment::Answered, Outbound));
    assert!(!PopWhen::Answer.fires_on(Moment::Ended, Inbound));
}

#[test]
fn automatic_opens_at_the_templates_moment_and_on_demand_always() {
    let settings = ScreenPopSettings {
        templates: vec![
            template("https://crm.example/c?p={number}", "", None, PopWhen::Ring),
            template(
                "https://crm.example/manual/{guid}",
                "Manual",
                None,
                PopWhen::OnDemand,
            ),
        ],
    };
    let inbound = call("Ventas", Direction::Inbound);
    let url = settings.automatic(Moment::Ringing, &inbound).unwrap();
    assert_eq!(
        url.as_str(),
        "https://crm.example/c?p=%2B598%2099%20123%20456"
    );
    assert!(settings.automatic(Moment::Answered, &inbound).is_none());
    assert!(settings
        .automatic(Moment::Ringing, &call("Ventas", Direction::Outbound))
        .is_none());

    let manual = call("Manual", Direction::Inbound);
    for moment in Moment::ALL {
        assert!(settings.automatic(moment, &manual).is_none(), "{moment}");
    }
    assert_eq!(
        settings.on_demand(&manual).unwrap().path(),
        format!("/manual/{}", manual.guid)
    );
}

#[test]
fn validate_reports_every_problem_in_order() {
    let settings = ScreenPopSettings {
        templates: vec![
            template("https://crm.example/a", "", None, PopWhen::Answer),
            template("https://crm.example/b", "", None, PopWhen::Ring),
            template(
                "https://crm.example/c",
                "Ventas",
                Some(Direction::Outbound),
                PopWhen::Ring,
            ),
            template(
                "https://crm.example/d",
                " Soporte",
                Some(Direction::Inbound),
                PopWhen::Dial,
            ),
        ],
    };
    let problems = settings.validate().unwrap_err();
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "screen_pop.templates[1] is never used: templates[0] is also for any campaign, any direction and comes first",
            "screen_pop.templates[2] never opens by itself: when = \"ring\" does not happen on outbound calls",
            "screen_pop.templates[3].campaign \" Soporte\" has spaces around it",
            "screen_pop.templates[3] never opens by itself: when = \"dial\" does not happen on inbound calls",
        ]
    );
    assert!(matches!(
        problems[0],
        ScreenPopProblem::Shadowed {
            index: 1,
            earlier: 0,
            ..
        }
    ));
}

#[test]
fn the_ledger_lets_each_call_pop_once() {
    let mut ledger = PopLedger::default();
    assert!(ledger.first_time("guid-1"));
    assert!(
        !ledger.first_time("guid-1"),
        "a re-sent event must not open a second tab"
    );
    assert!(ledger.first_time("guid-2"));
    assert!(!ledger.first_time("guid-1"));
}

#[test]
fn the_ledger_forgets_the_oldest_call_past_its_capacity() {
    let mut ledger = PopLedger::default();
    assert!(ledger.first_time("first"));
    for i in 0..PopLedger::DEFAULT_CAPACITY - 1 {
        assert!(ledger.first_time(&format!("call-{i}")));
    }
    assert!(!ledger.first_time("first"), "64 calls are remembered");
    assert!(ledger.first_time("one-more"));
    assert!(
        ledger.first_time("first"),
        "the 65th call pushes the oldest out"
    );
    assert!(!ledger.first_time("one-more"));
}

#[test]
fn an_empty_key_identifies_no_call() {
    let mut ledger = PopLedger::with_capacity(0);
    assert!(ledger.first_time(""));
    assert!(ledger.first_time(""));
    assert!(ledger.first_time("a"));
    assert!(
        !ledger.first_time("a"),
        "capacity 0 still remembers one call"
    );
    assert!(ledger.first_time("b"));
    assert!(ledger.first_time("a"));
}
