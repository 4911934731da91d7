use rsipstack::sip::SipMessage;

use super::*;
use crate::SipPassword;

fn registrar() -> Registrar {
    let account = SipAccount::new(
        "9999",
        SipPassword::new("sip-9999"),
        "wss://127.0.0.1:8443/ws",
    )
    .unwrap();
    Registrar::new(account)
}

/// The server's answer to `request`, with `lines` added.
fn answer(request: &str, status: &str, lines: &[&str]) -> Response {
    let SipMessage::Request(request) = crate::message::parse(request).unwrap() else {
        panic!("a request")
    };
    let extra: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let (code, reason) = status.split_once(' ').unwrap();
    let text =
        crate::message::response(&request, code.parse().unwrap(), reason, Some("srv"), &extra);
    match crate::message::parse(&text).unwrap() {
        SipMessage::Response(r) => r,
        SipMessage::Request(_) => panic!("a response"),
    }
}

const CHALLENGE: &str =
    "WWW-Authenticate: Digest realm=\"127.0.0.1\", nonce=\"abc123\", qop=\"auth\"";

#[test]
fn a_challenge_is_answered_once_and_the_grant_is_read_from_our_contact() {
    let mut registrar = registrar();
    let first = registrar.request(600);
    assert!(!first.contains("Authorization"), "{first}");
    let Outcome::Send(second) =
        registrar.on_response(&answer(&first, "401 Unauthorized", &[CHALLENGE]))
    else {
        panic!("the challenge is answered")
    };
    assert!(
        second.contains(
            "Authorization: Digest username=\"9999\", realm=\"127.0.0.1\", nonce=\"abc123\""
        ),
        "{second}"
    );
    assert!(
        second.contains("qop=auth") && second.contains("nc=00000001"),
        "{second}"
    );
    assert!(
        !second.contains("sip-9999"),
        "the password never crosses the wire"
    );
    assert!(second.contains("CSeq: 2 REGISTER"), "{second}");

    let contact = format!(
        "Contact: {};expires=300, <sip:other@x.invalid;transport=ws>;expires=600",
        registrar.contact_uri()
    );
    let granted = registrar.on_response(&answer(&second, "200 OK", &[&contact]));
    assert_eq!(
        granted,
        Outcome::Registered {
            expires: Duration::from_secs(300)
        }
    );
}

#[test]
fn credentials_refused_again_stop_with_the_wrong_password_and_a_stale_nonce_does_not() {
    let mut registrar = registrar();
    let first = registrar.request(600);
    let Outcome::Send(second) =
        registrar.on_response(&answer(&first, "401 Unauthorized", &[CHALLENGE]))
    else {
        panic!()
    };
    let stale = format!("{CHALLENGE}, stale=true");
    let Outcome::Send(third) =
        registrar.on_response(&answer(&second, "401 Unauthorized", &[&stale]))
    else {
        panic!("a stale nonce is answered again")
    };
    match registrar.on_response(&answer(&third, "401 Unauthorized", &[CHALLENGE])) {
        Outcome::Failed(PhoneError::WrongPassword { user, code: 401 }) => assert_eq!(user, "9999"),
        other => panic!("{other:?}"),
    }
    let mut registrar = self::registrar();
    let first = registrar.request(600);
    assert!(matches!(
        registrar.on_response(&answer(&first, "403 Forbidden", &[])),
        Outcome::Failed(PhoneError::WrongPassword { code: 403, .. })
    ));
}

#[test]
fn other_answers_retry_stop_or_adjust_the_interval() {
    let mut registrar = registrar();
    let first = registrar.request(60);
    let Outcome::Send(longer) = registrar.on_response(&answer(
        &first,
        "423 Interval Too Brief",
        &["Min-Expires: 120"],
    )) else {
        panic!("a longer interval is asked")
    };
    assert!(longer.contains("Expires: 120"), "{longer}");
    let retry = registrar.on_response(&answer(&longer, "503 Service Unavailable", &[]));
    assert!(
        matches!(retry, Outcome::Retry(PhoneError::Refused { code: 503, .. })),
        "{retry:?}"
    );
    let again = registrar.request(60);
    let stop = registrar.on_response(&answer(&again, "404 Not Found", &[]));
    assert!(
        matches!(stop, Outcome::Failed(PhoneError::Refused { code: 404, .. })),
        "{stop:?}"
    );
    // The refusal says the server's words: its own reason phrase, or the standard one (not the Reason header).
    let again = registrar.request(60);
    let Outcome::Failed(own_words) =
        registrar.on_response(&answer(&again, "404 No Such Peer Here", &[]))
    else {
        panic!("a refusal")
    };
    assert_eq!(
        own_words.to_string(),
        "the phone server refused to register extension 9999: 404 No Such Peer Here"
    );
    let again = registrar.request(60);
    let Outcome::Failed(standard) = registrar.on_response(&answer(&again, "404 Not Found", &[]))
    else {
        panic!("a refusal")
    };
    assert!(
        standard.to_string().ends_with(": 404 Not Found"),
        "{standard}"
    );
}

#[test]
fn answers_that_are_not_ours_are_ignored() {
    let mut registrar = registrar();
    let first = registrar.request(600);
    let foreign = first.replace(
        &format!("Call-ID: {}", registrar.call_id),
        "Call-ID: someone-else",
    );
    assert_eq!(
        registrar.on_response(&answer(&foreign, "200 OK", &[])),
        Outcome::Ignored
    );
    assert_eq!(
        registrar.on_response(&answer(&first, "100 Trying", &[])),
        Outcome::Ignored
    );
    let unregister = registrar.request(0);
    assert_eq!(
        registrar.on_response(&answer(&first, "200 OK", &[])),
        Outcome::Ignored,
        "an older CSeq"
    );
    assert_eq!(
        registrar.on_response(&answer(&unregister, "200 OK", &[])),
        Outcome::Unregistered
    );
}

#[test]
fn a_grant_longer_than_asked_is_taken_as_asked() {
    // Found by the sip_message fuzz target's property; a grant of u64::MAX seconds used to overflow the
    // session's refresh timer (`expires * 4 / 5`) and end the phone's task with a panic.
    for grant in [
        "Expires: 18446744073709551615",
        "Expires: 6000",
        "Contact: <sip:x@y.invalid>;expires=99999999999",
    ] {
        let mut registrar = registrar();
        let first = registrar.request(600);
        let contact = grant.replace("<sip:x@y.invalid>", &registrar.contact_uri());
        assert_eq!(
            registrar.on_response(&answer(&first, "200 OK", &[&contact])),
            Outcome::Registered {
                expires: Duration::from_secs(600)
            },
            "{grant}"
        );
    }
    let mut registrar = registrar();
    let first = registrar.request(600);
    assert_eq!(
        registrar.on_response(&answer(&first, "200 OK", &["Expires: 120"])),
        Outcome::Registered {
            expires: Duration::from_secs(120)
        },
        "a shorter grant stands"
    );
}
