//! Dialer calls on the desk against the simulator: CTI taken as the current call, the respool editor's rules on the
//! wire, a leaf's dialer action planned before anything is sent and queued behind its disposition, and the Dialer
//! screen's schedules, removals and tasks.

use agent::desk::{CallState, DispositionForm, RespoolEdit};
use agent::dialer_tasks::{self, RemoveContactForm, RemoveScheduleForm, TaskForm, TaskMode};
use agent_error::ErrorCode;
use cti::{Cti, CtiSource};
use disposition_tree::DialerAction;
use serde_json::{json, Value};

use crate::support::{fixture, form, sent, Fixture};

const CTI: &str = r#"{"Guid":"dialer-guid-7","Campaign":"Ventas->","Callerid":"099123456","Screen":"FALSE","Answer":"FALSE",
  "campaign":"Ventas->","destination":"099123456","dialerbase":"base-nov","status":1,"data":"id=7",
  "alternatives":"098111222:097333444","contact":222,"retries":3,"priority":5,"agentphone":""}"#;

fn cti() -> Cti {
    Cti::parse(CTI, CtiSource::Pasted).unwrap()
}

fn json_field(entry: &integra_sim::JournalEntry, name: &str) -> Value {
    serde_json::from_str(entry.field(name).unwrap()).unwrap()
}

async fn dialer_call_in_wrap_up(f: &Fixture) {
    let view = f.desk.attach_cti(cti()).await.unwrap();
    assert_eq!(
        (view.state, view.guid.as_deref(), view.number.as_deref()),
        (CallState::InCall, Some("dialer-guid-7"), Some("099123456"))
    );
    f.desk.customer_hung_up().await.unwrap();
}

#[tokio::test]
async fn cti_of_another_call_is_refused_while_one_is_up() {
    let f = fixture(true).await;
    dialer_call_in_wrap_up(&f).await;
    let other = Cti::parse(
        r#"{"Guid":"other","Campaign":"Ventas->","Callerid":"099000111"}"#,
        CtiSource::Bridge,
    )
    .unwrap();
    let err = f.desk.attach_cti(other).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::CallInProgress);
    assert!(err.to_string().contains("other"), "{err}");
    // CTI without a GUID while idle has no call to belong to.
    let f = fixture(true).await;
    let no_guid = Cti::parse(
        r#"{"campaign":"Ventas->","destination":"099123456","dialerbase":"b"}"#,
        CtiSource::Pasted,
    )
    .unwrap();
    assert_eq!(
        f.desk.attach_cti(no_guid).await.unwrap_err().code(),
        ErrorCode::InvalidCti
    );
}

#[tokio::test]
async fn the_editor_refuses_the_called_number_and_sends_the_promoted_one() {
    let f = fixture(true).await;
    f.desk.attach_cti(cti()).await.unwrap();
    let view = f.desk.open_respool().await.unwrap();
    let editor = view.respool.unwrap();
    assert!(editor.main_spooled && editor.submit_refusal.is_some());
    assert_eq!(
        f.desk.submit_respool().await.unwrap_err().code(),
        ErrorCode::SpooledDestination
    );
    assert!(sent(&f.sim, "Dialers/Respool").is_empty());
    let refused = f
        .desk
        .edit_respool(RespoolEdit::SetPriority { value: 1 })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidRespool);
    f.desk.open_respool().await.unwrap();
    f.desk
        .edit_respool(RespoolEdit::Promote { index: 1 })
        .await
        .unwrap();
    f.desk
        .edit_respool(RespoolEdit::SetData {
            key: "nota".into(),
            value: "llamar tarde".into(),
        })
        .await
        .unwrap();
    assert!(f.desk.submit_respool().await.unwrap(), "acknowledged");
    let [entry] = sent(&f.sim, "Dialers/Respool").try_into().unwrap();
    assert_eq!(
        json_field(&entry, "callspool"),
        json!({"campaign":"Ventas->","destination":"097333444","dialerbase":"base-nov","status":1,
               "data":"id=7:nota=llamar tarde","alternatives":"098111222:099123456","contact":222,"retries":0,
               "priority":5,"agentphone":""})
    );
    assert!(
        f.desk.snapshot().await.respool.is_none(),
        "the editor closed"
    );
}

#[tokio::test]
async fn a_schedule_leaf_without_a_date_sends_nothing_and_with_one_sends_both() {
    let f = fixture(true).await;
    dialer_call_in_wrap_up(&f).await;
    let err = f
        .desk
        .dispose_with(
            form("Volver a llamar", "Agendar", ""),
            Some(DialerAction::Schedule),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidSchedule);
    assert!(
        f.sim.journal().is_empty(),
        "nothing sent: {:?}",
        f.sim.journal()
    );
    let when = (chrono::Local::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d 09:15:00")
        .to_string();
    let disposed = f
        .desk
        .dispose_with(
            DispositionForm {
                schedule: Some(when.clone()),
                ..form("Volver a llamar", "Agendar", "")
            },
            Some(DialerAction::Schedule),
        )
        .await
        .unwrap();
    assert!(disposed.delivered && disposed.action_error.is_none());
    let [dispo] = sent(&f.sim, "api/DispositionCall").try_into().unwrap();
    assert_eq!(
        (dispo.field("schedule"), dispo.field("camptoreschedule")),
        (Some(when.as_str()), Some("Ventas->"))
    );
    let [call] = sent(&f.sim, "Dialers/ScheduleDialerCall")
        .try_into()
        .unwrap();
    assert_eq!(
        json_field(&call, "callschedule"),
        json!({"calldate": when, "campaign":"Ventas->","destination":"099123456",
               "alternatives":"098111222:097333444","agentphone":"","data":"id=7"})
    );
    assert!(dispo.seq < call.seq, "the action follows its disposition");
}

#[tokio::test]
async fn a_blacklist_waits_for_the_agents_yes() {
    let f = fixture(true).await;
    dialer_call_in_wrap_up(&f).await;
    let ask = f
        .desk
        .dispose_with(
            form("No contactado", "No llamar nunca", ""),
            Some(DialerAction::BlacklistAll),
        )
        .await
        .unwrap_err();
    assert_eq!(ask.code(), ErrorCode::ConfirmationRequired);
    assert!(ask.to_string().contains("every campaign"), "{ask}");
    assert!(f.sim.journal().is_empty());
    f.desk
        .dispose_with(
            DispositionForm {
                confirmed: true,
                ..form("No contactado", "No llamar nunca", "")
            },
            Some(DialerAction::BlacklistAll),
        )
        .await
        .unwrap();
    let [black] = sent(&f.sim, "admin/addblack").try_into().unwrap();
    assert_eq!(
        json_field(&black, "black"),
        json!({"phone":"099123456","campaign":"*","username":"alice"})
    );
    assert_eq!(f.desk.snapshot().await.state, CallState::Idle);
}

#[tokio::test]
async fn respool_actions_need_the_dialers_data() {
    let f = fixture(true).await;
    f.desk.dial("099123456", None).await.unwrap();
    f.desk.hang_up().await.unwrap();
    // The app's own call has no dialer record: the leaf is refused before the disposition goes.
    let err = f
        .desk
        .dispose_with(
            form("No contactado", "Ocupado", ""),
            Some(DialerAction::RespoolAlternative),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NoDialerCti);
    assert!(sent(&f.sim, "api/DispositionCall").is_empty());
}

#[tokio::test]
async fn the_dialer_screen_reaches_each_endpoint() {
    let f = fixture(true).await;
    // The Dialer screen reaches the server through the session, outside the desk.
    let session = agent::session::Session::sign_in(
        &f.sim.base_url(),
        "alice",
        &integra::Password::new("alice-pw"),
        &Default::default(),
        &keychain::MemoryStore::default(),
    )
    .await
    .unwrap();
    dialer_tasks::remove_contact(
        &session,
        &RemoveContactForm {
            campaign: "Ventas->".into(),
            number: "099 123 456".into(),
        },
    )
    .await
    .unwrap();
    let range = RemoveScheduleForm {
        campaign: "Ventas->".into(),
        number: "099123456".into(),
        from: "2026-12-02T00:00".into(),
        to: "2026-12-01T00:00".into(),
    };
    let err = dialer_tasks::remove_schedule(&session, &range)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("before its start"), "{err}");
    dialer_tasks::remove_schedule(
        &session,
        &RemoveScheduleForm {
            to: "2026-12-03T00:00".into(),
            ..range
        },
    )
    .await
    .unwrap();
    dialer_tasks::insert_task(
        &session,
        &TaskForm {
            mode: TaskMode::OwnedBy {
                agent: "1001".into(),
            },
            campaign: "Ventas->".into(),
            number: "099123456".into(),
            alternatives: "098111222".into(),
            data: "idcustomer=7".into(),
        },
    )
    .await
    .unwrap();
    let endpoints: Vec<String> = f
        .sim
        .journal()
        .iter()
        .filter(|e| e.path.contains("Dialers/"))
        .map(|e| e.endpoint().to_string())
        .collect();
    assert_eq!(
        endpoints,
        [
            "Dialers/RemoveContact",
            "Dialers/RemoveScheduleDialerCall",
            "Dialers/DialerTask"
        ]
    );
    let task = json_field(f.sim.journal().last().unwrap(), "call");
    assert_eq!(
        (&task["agent"], &task["bulk"], &task["alternatives"]),
        (&json!("1001"), &json!(true), &json!("098111222"))
    );
}
