//! Fuzz targets for what pages and the portal push at the app: CTI JSON, encrypted CTI blobs, click-to-dial links
//! and the bridge's request bodies. Each checks the promise its parser makes, not only "no panic".

use crate::bridge::BridgeRequest;
use crate::bridge::{parse_action, parse_cti, parse_event, PortalEvent, PortalEventKind};
use crate::crypto::{CtiSecret, SecretText};
use crate::cti::{Cti, CtiSource, DialerCti, RespoolDraft};
use crate::error::ErrorCode;
use crate::links::{dial_request, parse_link};
use crate::phone::normalize;

/// Pasted or pushed CTI text: what parses converts to the Respool object and back unchanged, and a draft of it
/// never offers the spooled number; what does not parse says so with the CTI code.
pub fn cti_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Cti::parse(&text, CtiSource::Pasted) {
        Ok(cti) => {
            serde_json::to_string(&cti).expect("a CTI serializes for the card");
            if let Some(dialer) = &cti.dialer {
                let respool = dialer.to_respool();
                let again = DialerCti::from_respool(&respool).expect("a parsed record reads back");
                assert_eq!(&again, dialer, "the Respool object changed the record");
                let draft = RespoolDraft::new(dialer, [dialer.destination()]);
                if let Ok(sent) = draft.submit() {
                    assert!(
                        !draft.is_spooled(&sent.destination),
                        "respooled a spooled number"
                    );
                }
            }
        }
        Err(err) => assert_eq!(err.code(), ErrorCode::InvalidCti, "{err}"),
    }
}

/// An encrypted CTI blob under both schemes: never a panic, never plaintext that is not text, and only the blob
/// error codes.
pub fn cti_blob(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let secrets = [
        CtiSecret::Passphrase(SecretText::new("s3cret-portal")),
        CtiSecret::KeyIv {
            key: SecretText::new("000102030405060708090a0b0c0d0e0f"),
            iv: SecretText::new("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"),
        },
    ];
    for secret in secrets {
        let decryptor = secret.decryptor().expect("a valid test secret");
        match decryptor.decrypt(&text) {
            Ok(plain) => {
                let _ = Cti::parse(&plain, CtiSource::Pasted);
            }
            Err(err) => assert!(
                matches!(
                    err.code(),
                    ErrorCode::CtiNotBase64
                        | ErrorCode::CtiNotSalted
                        | ErrorCode::CtiTruncated
                        | ErrorCode::CtiWrongKey
                        | ErrorCode::CtiBadPadding
                ),
                "{err}"
            ),
        }
    }
}

/// A `tel:`/`callto:` link or a launch's arguments: a number that comes out is one a typed number would give.
pub fn link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(number) = parse_link(&text) {
        assert_eq!(
            normalize(number.as_str())
                .expect("a link's number is valid")
                .as_str(),
            number.as_str()
        );
    }
    let args: Vec<&str> = std::iter::once("ucontact-agent-companion")
        .chain(text.split('\n'))
        .collect();
    if let Some(Ok(number)) = dial_request(&args) {
        assert!(normalize(number.as_str()).is_ok());
    }
}

/// A bridge request body, on the three routes: what is accepted is a request the app can act on.
pub fn bridge_request(data: &[u8]) {
    for parsed in [parse_cti(data), parse_action(data), parse_event(data)] {
        match parsed {
            Ok(BridgeRequest::Cti(value)) => {
                assert!(value.as_object().is_some_and(|o| !o.is_empty()), "{value}")
            }
            Ok(BridgeRequest::Call { destination, .. }) => assert!(!destination.trim().is_empty()),
            Ok(BridgeRequest::Tag { guid, message }) => {
                assert!(!guid.trim().is_empty() && !message.is_empty())
            }
            Ok(BridgeRequest::Respool(value)) => assert!(value.is_object()),
            Ok(BridgeRequest::Schedule { dialer, .. }) => assert!(dialer.is_object()),
            Ok(BridgeRequest::Portal(event)) => portal_event(&event),
            Ok(BridgeRequest::Hangup) | Err(_) => {}
        }
    }
}

/// A portal event the desk can act on: a ring names its call, and every field it read is trimmed text.
fn portal_event(event: &PortalEvent) {
    if event.kind == PortalEventKind::Ringing {
        assert!(event.guid.is_some(), "{event:?}");
    }
    for text in [&event.guid, &event.campaign, &event.number, &event.channel]
        .into_iter()
        .flatten()
    {
        assert!(!text.is_empty() && text.trim() == text, "{event:?}");
    }
}
