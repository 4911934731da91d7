//! Breaks against the simulator: the exact AgentBreak / AgentUnBreak fields, a break taken with the server down
//! that reaches it later, a break after the call that waits for the disposition, and a restart that finds the
//! break where it was.

use agent::breaks::{BreakFile, BreakState, Breaks, FILE_NAME};
use agent_error::ErrorCode;
use integra_sim::Faults;

use crate::support::{fixture, form, sent, Fixture};

fn identity() -> agent::profile::Identity {
    agent::profile::Identity {
        agent: "alice".into(),
        extension: "1001".into(),
        tech: "SIP".into(),
        ..Default::default()
    }
}

async fn breaks(f: &Fixture) -> Breaks {
    let file = BreakFile::new(f.outbox_path.with_file_name(FILE_NAME));
    Breaks::start(file, identity(), f.desk.clone())
        .await
        .unwrap()
}

fn fields(entry: &integra_sim::JournalEntry) -> Vec<(String, String)> {
    let mut form = entry.form.clone();
    form.sort();
    form
}

fn pause(motive: &str, message: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("agent", "alice"),
        ("interface", "SIP/1001"),
        ("motive", motive),
        ("message", message),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    form.sort();
    form
}

#[tokio::test]
async fn a_break_and_its_end_reach_the_server_with_every_field() {
    let f = fixture(true).await;
    let b = breaks(&f).await;
    let status = b.take("Almuerzo").await.unwrap();
    assert_eq!(status.state, BreakState::OnBreak);
    assert!(status.since.is_some());
    let on = sent(&f.sim, "api/AgentBreak");
    assert_eq!(on.len(), 1);
    assert_eq!(
        fields(&on[0]),
        pause("Almuerzo", "break from the Agent Companion")
    );
    assert_eq!(
        b.take("Baño").await.unwrap_err().code(),
        ErrorCode::OnBreak,
        "a second break is refused"
    );
    // The desk itself does not know breaks: the shell asks check_dial before it dials.
    f.desk.dial("099123456", None).await.unwrap();
    assert_eq!(b.check_dial().await.unwrap_err().code(), ErrorCode::OnBreak);
    f.desk.hang_up().await.unwrap();
    f.desk
        .dispose(form("Contactado", "Venta", ""))
        .await
        .unwrap();

    let status = b.end().await.unwrap();
    assert_eq!(status.state, BreakState::Available);
    assert_eq!(status.last_motive.as_deref(), Some("Almuerzo"));
    let off = sent(&f.sim, "api/AgentUnBreak");
    assert_eq!(off.len(), 1);
    assert_eq!(
        fields(&off[0]),
        pause("Almuerzo", "end of break from the Agent Companion")
    );
    assert_eq!(b.end().await.unwrap_err().code(), ErrorCode::NotOnBreak);
}

#[tokio::test]
async fn a_break_taken_offline_reaches_the_server_in_order_when_it_answers() {
    let f = fixture(true).await;
    let b = breaks(&f).await;
    f.sim.set_faults(Faults {
        drop_next: 100,
        path_contains: Some("Break".into()),
        ..Default::default()
    });
    assert_eq!(b.take("Reunión").await.unwrap().state, BreakState::OnBreak);
    assert_eq!(b.end().await.unwrap().state, BreakState::Available);
    let waiting = f.desk.outbox_items().unwrap();
    let kinds: Vec<&str> = waiting.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, ["break", "unbreak"], "both wait on disk, in order");

    f.sim.set_faults(Faults::default());
    assert_eq!(f.desk.flush().await.unwrap(), 0);
    let order: Vec<String> = f
        .sim
        .journal()
        .into_iter()
        .map(|e| e.endpoint().to_string())
        .filter(|e| e.contains("Break"))
        .collect();
    let delivered: Vec<&String> = order.iter().rev().take(2).collect();
    assert_eq!(
        delivered,
        ["api/AgentUnBreak", "api/AgentBreak"],
        "the server got the break before its end"
    );
}

#[tokio::test]
async fn a_break_after_the_call_starts_when_the_disposition_is_filed() {
    let f = fixture(true).await;
    let b = breaks(&f).await;
    f.desk.dial("099123456", None).await.unwrap();
    let queued = b.take("Capacitación").await.unwrap();
    assert_eq!(queued.state, BreakState::AfterCall);
    assert!(b.check_dial().await.is_ok());
    f.desk.hang_up().await.unwrap();
    assert!(
        sent(&f.sim, "api/AgentBreak").is_empty(),
        "not during wrap-up"
    );
    let mut changes = b.subscribe();
    f.desk
        .dispose(form("Contactado", "Venta", ""))
        .await
        .unwrap();
    let started = tokio::time::timeout(std::time::Duration::from_secs(5), changes.recv())
        .await
        .expect("the break starts after the disposition")
        .unwrap();
    assert_eq!(started.state, BreakState::OnBreak);
    // The status is published before its request is handed to the outbox: wait for the request.
    tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while sent(&f.sim, "api/AgentBreak").is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("AgentBreak reaches the server");
    let journal: Vec<String> = f
        .sim
        .journal()
        .into_iter()
        .map(|e| e.endpoint().to_string())
        .collect();
    let dispo = journal.iter().position(|e| e == "api/DispositionCall");
    let pause = journal.iter().position(|e| e == "api/AgentBreak");
    assert!(
        dispo.is_some() && pause > dispo,
        "disposition, then break: {journal:?}"
    );
}

#[tokio::test]
async fn a_restart_finds_the_break_with_its_start_time() {
    let f = fixture(true).await;
    let taken = breaks(&f).await.take("Almuerzo").await.unwrap();
    // A new process: the same file, a desk that starts idle.
    let again = breaks(&f).await;
    let status = again.status().await;
    assert_eq!(status, taken);
    assert_eq!(
        again.check_dial().await.unwrap_err().code(),
        ErrorCode::OnBreak
    );
    assert_eq!(
        sent(&f.sim, "api/AgentBreak").len(),
        1,
        "the restart sends nothing again"
    );
}
