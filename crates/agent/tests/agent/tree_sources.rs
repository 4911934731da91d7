//! Disposition trees from one place, against the simulator over loopback HTTP: the server's dispositions table
//! (FormGet), a shared URL and a shared folder, the local folder's override, the cache when every source is down,
//! and a failing source reported rather than a silent empty tree.

use std::path::Path;

use agent::profile::IdentityOverrides;
use disposition_tree::{http_client, DialerAction, OriginKind, Remote, TreeSources};
use integra_sim::SimConfig;

/// Ventas-> as IT publishes it: the server's names plus the dialer actions of two leaves.
const VENTAS_JSON: &str = r#"{"campaign": "Ventas->", "l1": [
  {"name": "No contactado", "l2": [{"name": "Ocupado", "action": "RESPOOLALTERNATIVE"}]},
  {"name": "Volver a llamar", "l2": [{"name": "Agendar", "action": "SCHEDULE"}]}
]}"#;

/// One file for all campaigns, with one the server does not have.
const ALL_TOML: &str = "[[trees]]\ncampaign = \"Soporte<-\"\n[[trees.l1]]\nname = \"Resuelto\"\n\
                        [[trees]]\ncampaign = \"Ventas->\"\n[[trees.l1]]\nname = \"Volver a llamar\"\n\
                        [[trees.l1.l2]]\nname = \"Agendar\"\naction = \"SCHEDULE\"\n";

fn campaigns() -> Vec<String> {
    vec!["Ventas->".into(), "Cobranzas->".into()]
}

fn sources(server: bool, shared: &str) -> TreeSources {
    TreeSources {
        server,
        shared: shared.into(),
        ..TreeSources::default()
    }
}

async fn fetch(config: &TreeSources, client: Option<&integra::Client>, cache: &Path) -> Remote {
    Remote::fetch(
        config,
        &campaigns(),
        client,
        &http_client(None, &integra::proxy::ProxyConfig::none()).unwrap(),
        cache,
    )
    .await
}

fn names(remote: &Remote, campaign: &str) -> Vec<String> {
    remote.trees[campaign]
        .tree
        .levels
        .iter()
        .map(|n| n.name.clone())
        .collect()
}

#[tokio::test]
async fn the_servers_rows_give_the_names_of_each_campaigns_tree() {
    let (sim, session, _) = crate::support::signed_in(IdentityOverrides::default()).await;
    let dir = tempfile::tempdir().unwrap();
    sim.clear_journal();
    let remote = fetch(
        &sources(true, ""),
        Some(&session.client),
        &dir.path().join("cache.json"),
    )
    .await;
    assert!(remote.problems.is_empty(), "{:?}", remote.problems);
    assert_eq!(
        names(&remote, "Ventas->"),
        ["Contactado", "No contactado", "Volver a llamar"]
    );
    assert_eq!(
        names(&remote, "Cobranzas->"),
        ["Contactado", "No contactado"]
    );
    let ventas = &remote.trees["Ventas->"];
    assert_eq!(ventas.kind, OriginKind::Server);
    assert_eq!(
        ventas
            .tree
            .leaf(&["Volver a llamar".into(), "Agendar".into()])
            .unwrap()
            .action,
        None,
        "names only"
    );
    let formgets = sim
        .journal()
        .iter()
        .filter(|e| e.path.ends_with("forms/FormGet"))
        .count();
    assert_eq!(formgets, 2, "one read-only SELECT per campaign");
}

#[tokio::test]
async fn a_shared_url_adds_the_leaf_actions_to_the_servers_names_or_gives_the_tree_alone() {
    let (sim, session, _) = crate::support::signed_in(IdentityOverrides::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.json");
    sim.put_file("trees/Ventas->.json", VENTAS_JSON);
    let url = format!("{}/_sim/files/trees/{{campaign}}.json", sim.base_url());
    let remote = fetch(&sources(true, &url), Some(&session.client), &cache).await;
    assert!(remote.problems.is_empty(), "{:?}", remote.problems);
    let ventas = &remote.trees["Ventas->"];
    assert_eq!(ventas.kind, OriginKind::ServerAndShared);
    assert_eq!(
        names(&remote, "Ventas->").len(),
        3,
        "every name of the server's table"
    );
    let action = |path: [&str; 2]| ventas.tree.leaf(&path.map(String::from)).unwrap().action;
    assert_eq!(
        action(["Volver a llamar", "Agendar"]),
        Some(DialerAction::Schedule)
    );
    assert_eq!(
        action(["No contactado", "Ocupado"]),
        Some(DialerAction::RespoolAlternative)
    );
    assert_eq!(
        remote.trees["Cobranzas->"].kind,
        OriginKind::Server,
        "no file for it: a 404 is no tree, not a failure"
    );

    // One file for all, without the server: its campaigns, even one not in the settings.
    let all = sim.put_file("all.toml", ALL_TOML);
    let remote = fetch(&sources(false, &all), Some(&session.client), &cache).await;
    assert!(remote.problems.is_empty(), "{:?}", remote.problems);
    assert_eq!(remote.trees["Soporte<-"].kind, OriginKind::Shared);
    assert_eq!(remote.trees["Ventas->"].source, all);
    assert!(!remote.trees.contains_key("Cobranzas->"));
}

#[tokio::test]
async fn a_shared_folder_serves_per_campaign_files_and_the_local_folder_overrides_a_campaign() {
    let (_sim, session, _) = crate::support::signed_in(IdentityOverrides::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let share = dir.path().join("share");
    std::fs::create_dir_all(&share).unwrap();
    std::fs::write(share.join("ventas.json"), VENTAS_JSON).unwrap();
    let remote = fetch(
        &sources(false, share.to_str().unwrap()),
        Some(&session.client),
        &dir.path().join("c.json"),
    )
    .await;
    assert!(remote.problems.is_empty(), "{:?}", remote.problems);
    assert_eq!(remote.trees["Ventas->"].kind, OriginKind::Shared);

    let local = dir.path().join("dispositions");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(
        local.join("Ventas.toml"),
        "campaign = \"Ventas->\"\n[[l1]]\nname = \"Solo local\"\n",
    )
    .unwrap();
    let set = remote.with_local(&local, &campaigns());
    let ventas = set.for_campaign("Ventas->").unwrap();
    assert_eq!(
        ventas.levels[0].name, "Solo local",
        "the local file wins for its campaign"
    );
    assert_eq!(set.origins["Ventas->"].kind, OriginKind::Local);
    assert!(
        set.origins["Ventas->"].updated.is_some(),
        "a local file's age is its change time"
    );
    assert!(
        set.problems
            .iter()
            .any(|p| p.starts_with("Cobranzas->: no disposition tree from")),
        "a campaign without any tree is said: {:?}",
        set.problems
    );
}

#[tokio::test]
async fn when_every_source_is_down_the_last_good_copy_is_used_and_the_failures_are_said() {
    let (sim, session, _) = crate::support::signed_in(IdentityOverrides::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("data").join("trees-cache.json");
    let url = sim.put_file("all.json", &format!("[{VENTAS_JSON}]"));
    let config = sources(true, &url);
    let good = fetch(&config, Some(&session.client), &cache).await;
    assert!(good.problems.is_empty(), "{:?}", good.problems);
    assert!(cache.exists(), "the good copy is cached in the data folder");

    sim.shutdown().await;
    let offline = fetch(&config, Some(&session.client), &cache).await;
    assert_eq!(offline.trees["Ventas->"].tree, good.trees["Ventas->"].tree);
    assert!(offline.from_cache.contains("Ventas->"));
    let problems = offline.problems.join("\n");
    assert!(problems.contains("forms/FormGet"), "{problems}");
    assert!(
        problems.contains(&format!("{url}: cannot connect")),
        "{problems}"
    );
    assert!(
        problems.contains("Ventas->: using the copy cached"),
        "{problems}"
    );

    // An agent who starts offline has the trees before any source answers.
    let start = Remote::cached(&cache);
    let set = start.with_local(&dir.path().join("none"), &campaigns());
    assert_eq!(
        set.action_for("Ventas->", &["Volver a llamar", "Agendar"]),
        Some(DialerAction::Schedule)
    );
    assert!(set.origins["Ventas->"].from_cache);
}

#[tokio::test]
async fn a_failing_source_is_reported_and_never_gives_a_silent_empty_tree() {
    let sim = integra_sim::spawn(
        SimConfig {
            missing_endpoints: vec!["forms/FormGet".into()],
            ..SimConfig::demo()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let secrets = keychain::MemoryStore::default();
    let session = agent::session::Session::sign_in(
        &sim.base_url(),
        "alice",
        &integra::Password::new("alice-pw"),
        &IdentityOverrides::default(),
        &secrets,
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let broken = sim.put_file("all.json", "[{\"campaign\": \"Ventas->\", \"l1\": [");
    let remote = fetch(
        &sources(true, &broken),
        Some(&session.client),
        &dir.path().join("c.json"),
    )
    .await;
    let problems = remote.problems.join("\n");
    assert!(
        problems.contains("the server's dispositions table (forms/FormGet"),
        "{problems}"
    );
    assert!(
        problems.contains(&format!("{broken}: not valid JSON")),
        "{problems}"
    );
    assert!(remote.trees.is_empty());
    let set = remote.with_local(&dir.path().join("none"), &campaigns());
    assert!(set.for_campaign("Ventas->").is_none());
    assert!(
        set.problems
            .iter()
            .any(|p| p.starts_with("Ventas->: no disposition tree")),
        "{:?}",
        set.problems
    );
    assert!(!dir.path().join("c.json").exists(), "nothing good to cache");

    sim.remove_file("all.json");
    let gone = fetch(&sources(false, &broken), None, &dir.path().join("c.json")).await;
    assert!(
        gone.problems
            .iter()
            .any(|p| p == &format!("{broken}: not found")),
        "{:?}",
        gone.problems
    );
}
