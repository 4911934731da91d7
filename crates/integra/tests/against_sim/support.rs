//! Starting a simulator and a signed-in client, and reading the journal.

use integra::{Client, Password};
use integra_sim::{JournalEntry, RunningSim, SimConfig};

/// A simulator on a free loopback port.
pub async fn sim() -> RunningSim {
    integra_sim::spawn(SimConfig::demo(), "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

/// A client for `sim`, not signed in.
pub fn client(sim: &RunningSim) -> Client {
    Client::builder(sim.base_url())
        .build()
        .expect("client builds")
}

/// A simulator and a client signed in as alice (journal cleared after the login).
pub async fn signed_in() -> (RunningSim, Client) {
    let sim = sim().await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .expect("alice signs in");
    client.set_token(Some(record.token()));
    sim.clear_journal();
    (sim, client)
}

/// The only request in the journal, checked for the conventions every call must follow.
pub fn only_request(sim: &RunningSim, endpoint: &str) -> JournalEntry {
    let journal = sim.journal();
    assert_eq!(
        journal.len(),
        1,
        "expected exactly one request, got {:#?}",
        journal
    );
    let entry = journal.into_iter().next().unwrap();
    assert_eq!(entry.method, "POST");
    assert_eq!(entry.path, format!("/Integra/resources/{endpoint}"));
    assert_eq!(
        entry.content_type.as_deref(),
        Some("application/x-www-form-urlencoded; charset=UTF-8")
    );
    entry
}

/// Field names and values, in order.
pub fn fields(entry: &JournalEntry) -> Vec<(&str, &str)> {
    entry
        .form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
