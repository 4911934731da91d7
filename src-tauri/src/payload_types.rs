//! The page's payload types, generated from the Rust types: the shapes of what the window reads and sends (the call
//! view, the desk's events, the disposition form, errors, breaks, the connection light, the hotkeys' report, the
//! session status), written as TypeScript declarations to `ui/types/payloads.d.ts`. The page's modules that read or
//! build them say so in JSDoc, and `tsc --checkJs` (`ui/tsconfig.json`, run by `scripts/test-all.sh`) checks them:
//! a field renamed in Rust changes this file, and then the page's use of the old name fails to type-check.
//!
//! The shapes come from serialized samples of each type (serde's own output, so `rename_all`, `tag` and
//! `skip_serializing_if` are what they really do): a field is optional when a sample leaves it out, nullable when a
//! sample has it null, and the fields listed as enumerations take the union of the strings the samples hold.
//! `UPDATE_PAYLOAD_TYPES=1 cargo test -p ucontact-agent-companion payload_types` writes the file again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use agent::breaks::{BreakState, BreakStatus};
use agent::desk::{CallState, CallView, DeskEvent, Disposed, DispositionForm, NoticeKind};
use agent_error::{ErrorCode, IpcError, Phrase};
use call_history::Figures;
use connection_light::ConnectionFacts;
use hotkeys::HotkeyAction;
use serde::Serialize;
use serde_json::Value;

use crate::shortcuts::HotkeyStatus;

/// One payload type: its name, the fields whose strings form an enumeration, and samples covering its variants.
struct Payload {
    name: &'static str,
    enumerations: &'static [&'static str],
    samples: Vec<Value>,
}

fn samples<T: Serialize>(values: &[T]) -> Vec<Value> {
    values
        .iter()
        .map(|v| serde_json::to_value(v).expect("serializable"))
        .collect()
}

fn error() -> IpcError {
    agent_error::AgentError::phrased(
        ErrorCode::InvalidNumber,
        Phrase::new("error.number.letters").with("letters", "x"),
        "letters are not allowed in a phone number: 'x'",
    )
    .into()
}

fn phone_views() -> Vec<crate::phone::PhoneView> {
    use crate::phone::PhoneView;
    use phone::{PhoneError, PhoneState};
    let dropped = PhoneError::Dropped {
        detail: "closed".into(),
    };
    vec![
        PhoneView::off(),
        PhoneView::of(&PhoneState::Connecting),
        PhoneView::of(&PhoneState::Registered {
            expires: std::time::Duration::from_secs(600),
        }),
        PhoneView::of(&PhoneState::NotConnected {
            reason: dropped,
            retry_in: Some(std::time::Duration::from_secs(2)),
        }),
    ]
}

fn phone_calls() -> Vec<crate::phone::PhoneCall> {
    use crate::phone::PhoneCall;
    use phone::{CallEvent, Caller, EndedBy};
    let caller = Caller {
        number: "0991234567".into(),
        name: Some("Ana".into()),
    };
    let call = || "c1".to_string();
    [
        CallEvent::Ringing {
            call: call(),
            caller: caller.clone(),
            guid: None,
        },
        CallEvent::Answered {
            call: call(),
            own: true,
            caller: caller.clone(),
            guid: Some("g".into()),
        },
        CallEvent::Connected { call: call() },
        CallEvent::Hold {
            call: call(),
            held: true,
            by_agent: true,
        },
        CallEvent::Hold {
            call: call(),
            held: false,
            by_agent: false,
        },
        CallEvent::Digit {
            call: call(),
            digit: '5',
        },
        CallEvent::Ended {
            call: call(),
            by: EndedBy::Remote,
            answered: true,
            caller: Caller {
                number: String::new(),
                name: None,
            },
            reason: String::new(),
        },
    ]
    .iter()
    .map(PhoneCall::of)
    .chain([PhoneCall::bare("muted"), PhoneCall::bare("unmuted")])
    .collect()
}

fn call_views() -> Vec<CallView> {
    let full = CallView {
        state: CallState::InCall,
        number: Some("099123456".into()),
        campaign: Some("Ventas->".into()),
        guid: Some("g-1".into()),
        direction: Some(bridge::CallDirection::Outbound),
        started_at: Some(1),
        ended_at: Some(2),
        pending_outbox: 1,
        last_error: Some(error()),
        failed_attempt: true,
        ..CallView::default()
    };
    let mut all = vec![CallView::default(), full];
    for state in [CallState::Dialing, CallState::WrapUp] {
        all.push(CallView {
            state,
            direction: Some(bridge::CallDirection::Inbound),
            ..CallView::default()
        });
    }
    all
}

fn payloads() -> Vec<Payload> {
    let form = DispositionForm {
        schedule: Some("2026-12-07 10:00".into()),
        camptoreschedule: Some("Ventas->".into()),
        ..DispositionForm::default()
    };
    let signed_in = ConnectionFacts {
        signed_in: true,
        ..ConnectionFacts::default()
    };
    let connection = [
        ConnectionFacts::default(),
        signed_in.clone(),
        ConnectionFacts {
            waiting: 1,
            ..signed_in.clone()
        },
        ConnectionFacts {
            refused: 1,
            ..signed_in.clone()
        },
        ConnectionFacts {
            last_failure: Some((ErrorCode::ServerUnreachable, "down".into())),
            ..signed_in.clone()
        },
        ConnectionFacts {
            signing_in: true,
            ..ConnectionFacts::default()
        },
        ConnectionFacts {
            sign_in_lost: Some("wrong password".into()),
            ..signed_in
        },
    ]
    .map(|facts| facts.view());
    let breaks = [
        BreakStatus::default(),
        BreakStatus {
            state: BreakState::OnBreak,
            motive: Some("Almuerzo".into()),
            since: Some(1),
            last_motive: Some("Almuerzo".into()),
        },
        BreakStatus {
            state: BreakState::AfterCall,
            ..BreakStatus::default()
        },
    ];
    let hotkeys = HotkeyAction::ALL.map(|action| HotkeyStatus {
        action,
        combo: "Ctrl+Alt+H".into(),
        registered: action != HotkeyAction::Dial,
        problem: (action == HotkeyAction::Dial).then(error),
    });
    let notices = [
        NoticeKind::CallPlaced,
        NoticeKind::CallEnded,
        NoticeKind::DispositionSaved,
        NoticeKind::DispositionWaiting,
        NoticeKind::SignInLost,
        NoticeKind::CallRinging,
        NoticeKind::DisposedInPortal,
        NoticeKind::WaitingDispositionDropped,
    ]
    .map(|kind| DeskEvent::Notice {
        kind,
        text: "words".into(),
        phrase: None,
    });
    let mut desk_events = vec![
        DeskEvent::State {
            view: Box::new(CallView::default()),
        },
        DeskEvent::Outbox {
            pending: 1,
            rejected: 0,
        },
    ];
    desk_events.extend(notices);
    vec![
        Payload {
            name: "CallView",
            enumerations: &["state", "direction"],
            samples: samples(&call_views()),
        },
        Payload {
            name: "DispositionForm",
            enumerations: &[],
            samples: samples(&[DispositionForm::default(), form]),
        },
        Payload {
            name: "Disposed",
            enumerations: &[],
            samples: samples(&[
                Disposed {
                    view: CallView::default(),
                    delivered: true,
                    action_error: Some(error()),
                },
                Disposed {
                    view: CallView::default(),
                    delivered: false,
                    action_error: None,
                },
            ]),
        },
        Payload {
            name: "DeskEvent",
            enumerations: &["type", "kind"],
            samples: samples(&desk_events),
        },
        Payload {
            name: "IpcError",
            enumerations: &[],
            samples: samples(&[error(), IpcError::new(ErrorCode::Internal, "x")]),
        },
        Payload {
            name: "BreakStatus",
            enumerations: &["state"],
            samples: samples(&breaks),
        },
        Payload {
            name: "ConnectionView",
            enumerations: &["light", "state"],
            samples: samples(&connection),
        },
        Payload {
            name: "PhoneView",
            enumerations: &["state"],
            samples: samples(&phone_views()),
        },
        Payload {
            name: "PhoneCall",
            enumerations: &["state"],
            samples: samples(&phone_calls()),
        },
        Payload {
            name: "HotkeyStatus",
            enumerations: &["action"],
            samples: samples(&hotkeys),
        },
        Payload {
            name: "Figures",
            enumerations: &[],
            samples: samples(&[Figures::default()]),
        },
    ]
}

/// Fields whose type is one of the payloads above (or a map), named rather than spelled out again; `unknown` for the
/// CTI card and the respool editor, which only `ui/js/cti.js` reads (not type-checked yet).
const NAMED: &[(&str, &str)] = &[
    ("view", "CallView"),
    ("last_error", "IpcError"),
    ("action_error", "IpcError"),
    ("problem", "IpcError"),
    ("phrase", "Phrase"),
    ("params", "Record<string, string>"),
    ("cti", "unknown"),
    ("respool", "unknown"),
];

/// The TypeScript type of the values `values` (one field across the samples, or one array's items).
fn type_of(values: &[&Value], enumerated: bool, depth: usize) -> String {
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    let objects: Vec<&Value> = values.iter().copied().filter(|v| v.is_object()).collect();
    for value in values {
        match value {
            Value::Null => {
                kinds.insert("null".into());
            }
            Value::Bool(_) => {
                kinds.insert("boolean".into());
            }
            Value::Number(_) => {
                kinds.insert("number".into());
            }
            Value::String(s) if enumerated => {
                kinds.insert(format!("{s:?}"));
            }
            Value::String(_) => {
                kinds.insert("string".into());
            }
            Value::Array(items) => {
                let items: Vec<&Value> = items.iter().collect();
                let item = if items.is_empty() {
                    "unknown".to_string()
                } else {
                    type_of(&items, false, depth)
                };
                kinds.insert(format!("Array<{item}>"));
            }
            Value::Object(_) => {}
        }
    }
    if !objects.is_empty() {
        kinds.insert(object_type(&objects, &[], depth + 1));
    }
    kinds.into_iter().collect::<Vec<_>>().join(" | ")
}

/// The object type of `samples` (all objects); a `type`-tagged set becomes a union of one object per tag.
fn object_type(samples: &[&Value], enumerations: &[&str], depth: usize) -> String {
    let tags: BTreeSet<&str> = samples
        .iter()
        .filter_map(|s| s.get("type").and_then(Value::as_str))
        .collect();
    if tags.len() > 1 {
        return tags
            .iter()
            .map(|tag| {
                let variant: Vec<&Value> = samples
                    .iter()
                    .copied()
                    .filter(|s| s.get("type").and_then(Value::as_str) == Some(tag))
                    .collect();
                object_type(&variant, enumerations, depth)
            })
            .collect::<Vec<_>>()
            .join("\n  | ");
    }
    let mut fields: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for sample in samples {
        for (name, value) in sample.as_object().expect("an object") {
            fields.entry(name).or_default().push(value);
        }
    }
    let indent = "  ".repeat(depth + 1);
    let body: Vec<String> = fields
        .iter()
        .map(|(name, values)| {
            let optional = if values.len() < samples.len() {
                "?"
            } else {
                ""
            };
            let enumerated = enumerations.contains(name) || *name == "type";
            let ty = match NAMED.iter().find(|(field, _)| field == name) {
                Some((_, named)) if values.iter().any(|v| v.is_null()) => format!("{named} | null"),
                Some((_, named)) => named.to_string(),
                None => type_of(values, enumerated, depth),
            };
            format!("{indent}{name}{optional}: {ty};")
        })
        .collect();
    format!("{{\n{}\n{}}}", body.join("\n"), "  ".repeat(depth))
}

fn declarations() -> String {
    let mut out = String::from(
        "// Generated by src-tauri/src/payload_types.rs from the Rust types (`UPDATE_PAYLOAD_TYPES=1 cargo test -p \
         ucontact-agent-companion payload_types`): do not edit.\n// What the window reads and sends, as serde \
         writes it; checked against the page by `tsc -p ui/tsconfig.json`.\n",
    );
    out.push_str(
        "\nexport type Phrase = {\n  key: string;\n  params: Record<string, string>;\n};\n",
    );
    for payload in payloads() {
        let samples: Vec<&Value> = payload.samples.iter().collect();
        let ty = object_type(&samples, payload.enumerations, 0);
        out.push_str(&format!("\nexport type {} = {ty};\n", payload.name));
    }
    out
}

#[test]
fn the_page_payload_types_are_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/types/payloads.d.ts");
    let generated = declarations();
    if std::env::var_os("UPDATE_PAYLOAD_TYPES").is_some() {
        std::fs::write(&path, &generated).expect("ui/types/payloads.d.ts written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/types/payloads.d.ts is not what the Rust types serialize to: a payload changed. Run \
         UPDATE_PAYLOAD_TYPES=1 cargo test -p ucontact-agent-companion payload_types, then `npx tsc -p \
         ui/tsconfig.json` to see what the page must change.\n--- generated ---\n{generated}"
    );
}

#[test]
fn a_field_left_out_is_optional_and_a_null_is_nullable() {
    let a = serde_json::json!({"number": "1", "guid": null, "state": "idle"});
    let b = serde_json::json!({"number": "2", "guid": "g", "state": "in_call", "extra": true});
    let ty = object_type(&[&a, &b], &["state"], 0);
    assert!(ty.contains("number: string;"), "{ty}");
    assert!(ty.contains("guid: null | string;"), "{ty}");
    assert!(ty.contains("extra?: boolean;"), "{ty}");
    assert!(ty.contains(r#"state: "idle" | "in_call";"#), "{ty}");
}
