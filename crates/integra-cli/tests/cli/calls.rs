//! login, call, tag, hangup and dispose: one call as a script places and closes it.

use crate::support::{alice, as_user, sent, sent_once, sim};

#[tokio::test(flavor = "multi_thread")]
async fn login_checks_the_credentials_shows_the_agent_and_never_the_token() {
    let sim = sim().await;
    let run = alice(&sim, &["--json", "login", "--no-keychain"]).await;
    let shown = run.json();
    assert_eq!(shown["agent"]["extension"], "1001");
    assert_eq!(shown["agent"]["context"], "agentes");
    assert_eq!(shown["kept_in_keychain"], false);

    let login = sent_once(&sim, "auth/AgentLogin");
    assert_eq!(
        (login.field("agent"), login.authorization.as_deref()),
        (Some("alice"), None)
    );
    let end = sent_once(&sim, "auth/EndSession");
    let token = end
        .field("token")
        .expect("EndSession names the token")
        .to_string();
    assert_eq!(
        end.authorization,
        Some(format!("Basic {token}")),
        "the session it opened is the one it ends"
    );
    assert_eq!(end.response, "1");
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains(&token) && !text.contains("alice-pw"),
            "secret printed: {text}"
        );
    }

    let human = alice(&sim, &["login", "--no-keychain"]).await;
    assert_eq!(
        human.ok().trim(),
        "signed in as alice (Alice Agent), extension 1001, context agentes; credentials checked; the session was ended (--no-keychain)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scripted_call_is_placed_tagged_hung_up_and_disposed() {
    let sim = sim().await;
    let call = alice(
        &sim,
        &[
            "--json",
            "call",
            "(099) 123-456",
            "--campaign",
            "Ventas->",
            "--callerid",
            "59821234567",
        ],
    )
    .await
    .json();
    let guid = call["guid"].as_str().unwrap().to_string();
    let placed = sent_once(&sim, "Agents/AgentCall");
    let fields: Vec<Option<&str>> = [
        "callerid",
        "agent",
        "phone",
        "tech",
        "context",
        "outqueue",
        "destination",
    ]
    .iter()
    .map(|f| placed.field(f))
    .collect();
    assert_eq!(
        fields,
        [
            Some("59821234567"),
            Some("alice"),
            Some("1001"),
            Some("SIP"),
            Some("agentes"),
            Some("Ventas->"),
            Some("099123456")
        ],
        "identity from the agent's login, the number cleaned"
    );

    alice(
        &sim,
        &[
            "tag",
            "--guid",
            &guid,
            "--text",
            "VIP",
            "--phone",
            "099123456",
        ],
    )
    .await
    .ok();
    let hangup = alice(&sim, &["hangup"]).await;
    assert_eq!(hangup.ok().trim(), "hung up the call on extension 1001");
    assert_eq!(
        sent_once(&sim, "Agents/HungupPhone").field("phone"),
        Some("1001")
    );

    let dispose = alice(
        &sim,
        &[
            "dispose",
            "--campaign",
            "Ventas->",
            "--guid",
            &guid,
            "--callerid",
            "099123456",
            "--l1",
            "Volver a llamar",
            "--l2",
            "Agendar",
            "--comment",
            "llamar de tarde",
            "--schedule",
            "2030-01-02 16:00",
            "--reschedule-campaign",
            "Cobranzas->",
        ],
    )
    .await;
    assert_eq!(
        dispose.ok().trim(),
        format!("disposition Volver a llamar / Agendar filed for call {guid}")
    );
    let filed = sent_once(&sim, "api/DispositionCall");
    assert_eq!(
        filed.form.len(),
        13,
        "all thirteen fields are sent: {:?}",
        filed.form
    );
    assert_eq!(filed.field("agent"), Some("alice"));
    assert_eq!(filed.field("schedule"), Some("2030-01-02 16:00:00"));
    assert_eq!(filed.field("camptoreschedule"), Some("Cobranzas->"));
    assert_eq!(filed.field("l3"), Some(""));

    let state = sim.state();
    assert_eq!(state["calls"][0]["guid"], guid.as_str());
    assert_eq!(state["calls"][0]["state"], "hung_up");
    assert_eq!(state["tags"][0]["data"], "VIP");
    assert_eq!(state["dispositions"][0]["comment"], "llamar de tarde");
    assert_eq!(
        sent(&sim, "auth/EndSession").len(),
        4,
        "each scripted command ends its session"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_the_request_goes_out() {
    let sim = sim().await;
    alice(
        &sim,
        &[
            "call",
            "099-CALL-ME",
            "--campaign",
            "Ventas->",
            "--callerid",
            "1",
        ],
    )
    .await
    .fails(2, "\"099-CALL-ME\" is not a phone number");
    alice(
        &sim,
        &[
            "call",
            "099123456",
            "--campaign",
            "Soporte<-",
            "--callerid",
            "1",
        ],
    )
    .await
    .fails(2, "Soporte<- is an inbound campaign");
    alice(&sim, &["call", "099123456", "--campaign", "Ventas->"])
        .await
        .fails(2, "--callerid is needed");
    alice(
        &sim,
        &[
            "dispose",
            "--campaign",
            "Ventas->",
            "--guid",
            "g",
            "--callerid",
            "099",
            "--l1",
            "x",
            "--schedule",
            "mañana",
        ],
    )
    .await
    .fails(2, "invalid schedule: \"mañana\" is not a date-time");
    assert!(
        sent(&sim, "Agents/AgentCall").is_empty() && sent(&sim, "api/DispositionCall").is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_call_on_a_busy_extension_is_rejected_with_a_hint() {
    let sim = sim().await;
    let args = [
        "call",
        "099123456",
        "--campaign",
        "Ventas->",
        "--callerid",
        "59821234567",
    ];
    alice(&sim, &args).await.ok();
    alice(&sim, &args).await.fails(
        1,
        "the server rejected the request (it answered \"0\"); check that campaign Ventas-> exists",
    );
    alice(&sim, &["hangup"]).await.ok();
    alice(&sim, &["hangup"])
        .await
        .fails(1, "extension 1001 has no call to hang up");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_user_names_the_phone_itself() {
    let sim = sim().await;
    let server = sim.base_url();
    as_user(&server, "admin", "admin-pw", &["--api-user", "hangup"])
        .await
        .fails(
            2,
            "admin is signed in as an API user, which has no phone: pass --phone EXTENSION",
        );
    as_user(
        &server,
        "admin",
        "admin-pw",
        &["--api-user", "login", "--no-keychain"],
    )
    .await
    .ok();
    assert_eq!(sent(&sim, "auth/getUserToken").len(), 2);
    assert!(sent(&sim, "auth/AgentLogin").is_empty());
}
