//! Starting a simulator and a client, and reading the journal.

use base64::Engine;
use integra::{Client, Password, Token, FORM_CONTENT_TYPE};
use integra_sim::{JournalEntry, RunningSim, SimConfig};

/// A simulator with the demo data on a free loopback port.
pub async fn sim() -> RunningSim {
    sim_with(SimConfig::demo()).await
}

/// A simulator with `config` on a free loopback port.
pub async fn sim_with(config: SimConfig) -> RunningSim {
    integra_sim::spawn(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator starts")
}

/// A client for `sim`, not signed in.
pub fn client(sim: &RunningSim) -> Client {
    Client::builder(sim.base_url())
        .build()
        .expect("client builds")
}

/// A simulator and a client signed in as alice (extension 1001), with the journal cleared after the login.
pub async fn signed_in() -> (RunningSim, Client, Token) {
    let sim = sim().await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .expect("alice signs in");
    client.set_token(Some(record.token()));
    sim.clear_journal();
    (sim, client, record.token())
}

/// The only request in the journal, checked for the conventions every Integra call follows: POST to
/// `/Integra/resources/<endpoint>` with `application/x-www-form-urlencoded; charset=UTF-8`.
pub fn only_request(sim: &RunningSim, endpoint: &str) -> JournalEntry {
    let journal = sim.journal();
    assert_eq!(
        journal.len(),
        1,
        "expected exactly one request, got {journal:#?}"
    );
    let entry = journal.into_iter().next().unwrap();
    assert_form_post(&entry, endpoint);
    entry
}

/// Checks method, path and content type of one Integra request.
pub fn assert_form_post(entry: &JournalEntry, endpoint: &str) {
    assert_eq!(entry.method, "POST");
    assert_eq!(entry.path, format!("/Integra/resources/{endpoint}"));
    assert_eq!(entry.query, "", "nothing travels in the query string");
    assert_eq!(entry.content_type.as_deref(), Some(FORM_CONTENT_TYPE));
    assert_eq!(
        FORM_CONTENT_TYPE,
        "application/x-www-form-urlencoded; charset=UTF-8"
    );
}

/// Checks the request carried `Authorization: Basic <token>` with the token exactly as issued.
pub fn assert_token(entry: &JournalEntry, token: &Token) {
    assert_eq!(
        entry.authorization,
        Some(format!("Basic {}", token.expose()))
    );
}

/// Field names and values, in order.
pub fn fields(entry: &JournalEntry) -> Vec<(&str, &str)> {
    entry
        .form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The endpoints (or file paths) requested, in order.
pub fn requested(sim: &RunningSim) -> Vec<String> {
    sim.journal()
        .iter()
        .map(|e| e.endpoint().to_string())
        .collect()
}

/// The user a simulator token was issued to: tokens are base64 of `user:uuid`, sent without encoding them again.
pub fn token_user(token: &Token) -> String {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.expose())
        .expect("the token is base64 as issued");
    let text = String::from_utf8(decoded).unwrap();
    text.split(':').next().unwrap().to_string()
}
