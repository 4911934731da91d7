//! The chaos test's worker (`tests/agent/chaos.rs`): an agent working through calls with the app's own desk, outbox and
//! courier, killed with SIGKILL at random moments and started again. It is not part of the app.
//!
//! `outbox-chaos URL OUTBOX_FILE TOTAL` places, hangs up and disposes calls until TOTAL dispositions are submitted
//! (each with the comment `chaos-N`), then flushes until the outbox is empty, printing `start N`, `submitted N`,
//! `flushing` and `done` on stdout. After a kill it starts from what the outbox file says: a disposition is
//! submitted once its enqueue committed, and every committed enqueue took the next id of the file's
//! AUTOINCREMENT sequence, which SQLite keeps even after the item was acknowledged and deleted. So the count of
//! submitted dispositions is exact, whatever moment the kill hit (this worker enqueues nothing else).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use agent::desk::{self, DeskEvent, DeskOptions, DispositionForm};
use agent::profile::IdentityOverrides;
use agent::session::Session;
use agent_error::ErrorCode;
use integra::Password;
use keychain::MemoryStore;
use outbox::courier::{Backoff, CourierOptions};
use outbox::{Job, Outbox, TestSeal, ViewState};

/// The seal the test opens the file with.
const SEAL_KEY: u8 = 77;

fn pause() -> tokio::time::Sleep {
    tokio::time::sleep(Duration::from_millis(15))
}

/// The first disposition not yet submitted: how many enqueues the outbox file ever committed.
fn resume_point(outbox: &Outbox) -> usize {
    outbox.ids_given().expect("outbox readable") as usize
}

/// The outbox's own view agrees: what is still in it carries comments below the resume point.
fn check_resume(outbox: &Outbox, first: usize) {
    for item in outbox.items().expect("outbox readable") {
        if let Job::Disposition(d) = &item.job {
            let n: usize = d.comment["chaos-".len()..]
                .parse()
                .expect("a chaos comment");
            assert!(
                n < first,
                "item {} ({}) is past the resume point {first}",
                item.id,
                d.comment
            );
        }
    }
}

async fn sign_in(url: &str, secrets: &MemoryStore) -> Session {
    let overrides = IdentityOverrides {
        callerid: "59821234567".into(),
        outqueue: "Ventas->".into(),
        ..Default::default()
    };
    loop {
        match Session::sign_in(
            url,
            "alice",
            &Password::new("alice-pw"),
            &overrides,
            secrets,
        )
        .await
        {
            Ok(session) => return session,
            Err(_) => pause().await,
        }
    }
}

/// A call left up by the previous run (killed mid-call) would keep the extension busy.
async fn free_extension(session: &Session, secrets: &MemoryStore) {
    for _ in 0..200 {
        match session.client.hangup(&session.identity.extension).await {
            Ok(()) | Err(integra::Error::Rejected { .. }) => return,
            Err(integra::Error::Unauthorized { .. }) => {
                let _ = session.renew(secrets).await;
            }
            Err(_) => pause().await,
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, outbox_file, total] = args.as_slice() else {
        eprintln!("usage: outbox-chaos URL OUTBOX_FILE TOTAL");
        std::process::exit(2);
    };
    let total: usize = total.parse().expect("TOTAL is a number");
    let file = Path::new(outbox_file);
    let outbox = Outbox::open(file, Arc::new(TestSeal::new(SEAL_KEY))).expect("outbox opens");
    let first = resume_point(&outbox);
    check_resume(&outbox, first);
    println!("start {first}");

    let secrets = Arc::new(MemoryStore::default());
    let session = sign_in(url, &secrets).await;
    free_extension(&session, &secrets).await;
    let options = DeskOptions {
        require_wrap_up: true,
        wrap_up_failed_dials: false,
        courier: CourierOptions {
            backoff: Backoff {
                first: Duration::from_millis(20),
                cap: Duration::from_millis(400),
                jitter: 0.2,
            },
            poll_every: Duration::from_secs(1),
            ..CourierOptions::default()
        },
    };
    let desk = desk::spawn(session.clone(), secrets.clone(), outbox.clone(), options);

    for n in first..total {
        loop {
            match desk.dial("099123456", None).await {
                Ok(_) => break,
                Err(err) => {
                    if err.code() == ErrorCode::ServerRejected {
                        free_extension(&session, &secrets).await;
                    }
                    pause().await;
                }
            }
        }
        while desk.hang_up().await.is_err() {
            pause().await;
        }
        let form = DispositionForm {
            l1: "Contactado".into(),
            l2: "Venta".into(),
            comment: format!("chaos-{n}"),
            ..Default::default()
        };
        // Refused ones are replaced by the next dispose of the same call; nothing here refuses on purpose.
        while desk.dispose(form.clone()).await.is_err() {
            pause().await;
        }
        println!("submitted {n}");
    }

    println!("flushing");
    let mut events = desk.subscribe();
    loop {
        let left = desk.flush().await.unwrap_or(usize::MAX);
        if left == 0 {
            break;
        }
        // As an agent would: what the server refused is sent again (nothing in this run should be refused).
        for item in desk.outbox_items().unwrap_or_default() {
            if item.state == ViewState::Rejected {
                let _ = desk.resend_item(item.id).await;
            }
        }
        let _ = tokio::time::timeout(Duration::from_millis(300), async {
            while !matches!(
                events.recv().await,
                Ok(DeskEvent::Outbox { pending: 0, .. })
            ) {}
        })
        .await;
    }
    println!("done");
}
