//! URL templates: what IT's typos get told, and that no call value can change where the URL goes.

use proptest::prelude::*;
use serde_json::json;

use crate::fields::{CallFields, Field};
use crate::template::{TemplateError, UrlTemplate};

fn parse_err(text: &str) -> TemplateError {
    UrlTemplate::parse(text).expect_err(text)
}

fn call_with_number(number: &str) -> CallFields {
    CallFields {
        number: number.to_string(),
        ..CallFields::sample()
    }
}

#[test]
fn the_sample_call_renders_encoded() {
    let template =
        UrlTemplate::parse("https://crm.example/c?phone={number}&camp={campaign}&who={cti.contact}&id={cti.data.customer_id}")
            .unwrap();
    assert_eq!(
        template.preview().as_str(),
        "https://crm.example/c?phone=%2B598%2099%20123%20456&camp=Ventas-%3E&who=Ana%20P%C3%A9rez&id=C-42"
    );
}

#[test]
fn every_field_renders() {
    let template = UrlTemplate::parse(
        "https://crm.example/{guid}/{direction}?a={agent}&e={extension}&n={number}&c={campaign}",
    )
    .unwrap();
    let call = CallFields::sample();
    let url = template.render(&call);
    assert_eq!(url.path(), format!("/{}/inbound", call.guid));
    assert_eq!(
        url.query(),
        Some("a=alice&e=1001&n=%2B598%2099%20123%20456&c=Ventas-%3E")
    );
}

#[test]
fn reserved_characters_in_values_are_all_encoded() {
    let template = UrlTemplate::parse("https://crm.example/search?phone={number}").unwrap();
    let url = template.render(&call_with_number("1&admin=1#frag/x?y+z%41 'ñ\""));
    assert_eq!(
        url.as_str(),
        "https://crm.example/search?phone=1%26admin%3D1%23frag%2Fx%3Fy%2Bz%2541%20%27%C3%B1%22"
    );
    // One parameter, the exact value, no fragment.
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [(
            "phone".to_string(),
            "1&admin=1#frag/x?y+z%41 'ñ\"".to_string()
        )]
    );
    assert_eq!(url.fragment(), None);
    // Unreserved characters stay as they are.
    assert_eq!(
        template.render(&call_with_number("Az09-._~")).query(),
        Some("phone=Az09-._~")
    );
}

#[test]
fn a_value_in_a_path_cannot_add_segments() {
    let template = UrlTemplate::parse("https://crm.example/customers/{number}/card").unwrap();
    let url = template.render(&call_with_number("a/../../admin"));
    assert_eq!(url.path(), "/customers/a%2F..%2F..%2Fadmin/card");
    assert_eq!(url.host_str(), Some("crm.example"));
}

#[test]
fn a_value_in_a_literal_fragment_is_encoded_too() {
    let template = UrlTemplate::parse("https://crm.example/app#/customer/{number}").unwrap();
    let url = template.render(&call_with_number("1/2#3"));
    assert_eq!(url.fragment(), Some("/customer/1%2F2%233"));
}

#[test]
fn an_unknown_field_is_named_with_the_known_ones() {
    let err = parse_err("https://crm.example/?p={phone}");
    assert_eq!(
        err,
        TemplateError::UnknownField {
            name: "phone".to_string()
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown field {phone}; known: number, guid, campaign, direction, agent, extension, cti.<field>"
    );
    assert_eq!(
        parse_err("https://crm.example/?p={}")
            .to_string()
            .split(';')
            .next(),
        Some("unknown field {}")
    );
}

#[test]
fn a_bad_cti_path_is_named() {
    let err = parse_err("https://crm.example/?id={cti.data..id}");
    assert_eq!(
        err,
        TemplateError::BadCtiPath {
            name: "cti.data..id".to_string()
        }
    );
    assert!(
        err.to_string().starts_with("bad CTI field {cti.data..id}"),
        "{err}"
    );
}

#[test]
fn braces_that_do_not_pair_are_placed() {
    let err = parse_err("https://crm.example/?p={number");
    assert_eq!(err, TemplateError::Unclosed { position: 24 });
    assert_eq!(err.to_string(), "the { at character 24 is never closed");
    assert_eq!(
        parse_err("https://crm.example/?p={num{ber}"),
        TemplateError::Unclosed { position: 24 }
    );
    let err = parse_err("https://crm.example/?p=number}");
    assert_eq!(err, TemplateError::Unopened { position: 30 });
    assert_eq!(err.to_string(), "the } at character 30 closes nothing");
    // Characters, not bytes.
    assert_eq!(
        parse_err("https://crm.example/ñ}"),
        TemplateError::Unopened { position: 22 }
    );
}

#[test]
fn an_empty_template_is_refused() {
    for text in ["", "   ", "\t\n"] {
        assert_eq!(parse_err(text), TemplateError::Empty);
    }
    assert_eq!(
        TemplateError::Empty.to_string(),
        "the URL template is empty"
    );
}

#[test]
fn only_https_and_loopback_http_are_allowed() {
    for (text, scheme) in [
        ("ftp://crm.example/{number}", "ftp"),
        ("javascript:alert({number})", "javascript"),
        ("file:///etc/passwd", "file"),
        ("tel:{number}", "tel"),
    ] {
        let err = parse_err(text);
        assert_eq!(
            err,
            TemplateError::Scheme {
                scheme: scheme.to_string()
            },
            "{text}"
        );
        assert!(
            err.to_string()
                .starts_with(&format!("the scheme {scheme} is not allowed")),
            "{err}"
        );
    }
    let err = parse_err("http://crm.example/c?p={number}");
    assert_eq!(
        err,
        TemplateError::HttpNotLoopback {
            host: "crm.example".to_string()
        }
    );
    assert_eq!(
        err.to_string(),
        "http is allowed only for 127.0.0.1, [::1] or localhost, not crm.example: use https"
    );
    assert!(matches!(
        parse_err("http://127.0.0.2/{number}"),
        TemplateError::HttpNotLoopback { .. }
    ));
    for text in [
        "http://127.0.0.1:8080/c?p={number}",
        "http://[::1]/{number}",
        "http://localhost:3000/{guid}",
        "HTTPS://CRM.example/",
    ] {
        assert!(UrlTemplate::parse(text).is_ok(), "{text}");
    }
}

#[test]
fn a_relative_url_is_refused() {
    for text in [
        "crm.example/c?p={number}",
        "/customers/{number}",
        "//crm.example/{number}",
        "https:crm.example/{number}",
        "{number}",
    ] {
        assert_eq!(parse_err(text), TemplateError::NotAbsolute, "{text}");
    }
    assert_eq!(
        TemplateError::NotAbsolute.to_string(),
        "not an absolute URL: it must start with https:// and the CRM's host"
    );
}

#[test]
fn a_value_can_never_choose_the_scheme_host_port_or_user() {
    for (text, field) in [
        ("https://{campaign}.crm.example/", "campaign"),
        ("https://crm.example{number}", "number"),
        ("https://crm.example:{extension}/", "extension"),
        ("https://{agent}@crm.example/", "agent"),
        ("https://{cti.host}", "cti.host"),
        ("{campaign}://crm.example/", "campaign"),
        ("http{cti.s}://crm.example/", "cti.s"),
    ] {
        let err = parse_err(text);
        assert_eq!(
            err,
            TemplateError::PlaceholderInAuthority {
                field: field.to_string()
            },
            "{text}"
        );
        assert!(
            err.to_string().contains("never chooses where the URL goes"),
            "{err}"
        );
    }
    assert!(parse_err("https://crm.example{number}")
        .to_string()
        .starts_with("{number} is in the scheme or host"));
}

#[test]
fn a_url_the_parser_refuses_says_why() {
    let err = parse_err("https://crm example/{number}");
    assert!(matches!(err, TemplateError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().starts_with("not a valid URL: "), "{err}");
    assert!(matches!(
        parse_err("https://[::1/{number}"),
        TemplateError::Invalid { .. }
    ));
    assert!(matches!(
        parse_err("https://crm.example:99999/{number}"),
        TemplateError::Invalid { .. }
    ));
}

#[test]
fn the_text_is_kept_as_written() {
    let text = "https://crm.example/c?p={number}&id={cti.data.customer_id}";
    let template = UrlTemplate::parse(text).unwrap();
    assert_eq!(template.as_str(), text);
    assert_eq!(template.to_string(), text);
    assert_eq!(String::from(template.clone()), text);
    let fields: Vec<String> = template.fields().map(Field::to_string).collect();
    assert_eq!(fields, ["number", "cti.data.customer_id"]);
}

#[test]
fn serde_reads_and_writes_the_text_and_checks_it() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Holder {
        url: UrlTemplate,
    }
    let held: Holder = toml::from_str("url = \"https://crm.example/c?p={number}\"").unwrap();
    assert_eq!(held.url.as_str(), "https://crm.example/c?p={number}");
    assert_eq!(
        serde_json::to_value(&held).unwrap(),
        json!({"url": "https://crm.example/c?p={number}"})
    );
    let err = toml::from_str::<Holder>("url = \"https://crm.example/c?p={phone}\"")
        .err()
        .unwrap();
    assert!(err.to_string().contains("unknown field {phone}"), "{err}");
}

#[test]
fn a_dot_segment_value_stays_on_the_templates_host() {
    // Documented: `..` filling a whole segment is a dot segment even encoded; it moves within the path only.
    let template = UrlTemplate::parse("https://crm.example/a/b/{number}").unwrap();
    let url = template.render(&call_with_number(".."));
    assert_eq!(url.host_str(), Some("crm.example"));
    assert_eq!(url.path(), "/a/");
}

fn any_call() -> impl Strategy<Value = CallFields> {
    (
        any::<String>(),
        any::<String>(),
        any::<String>(),
        any::<String>(),
    )
        .prop_map(|(number, campaign, guid, contact)| CallFields {
            number,
            campaign,
            guid,
            cti: json!({"contact": contact}),
            ..CallFields::sample()
        })
}

proptest! {
    #[test]
    fn no_value_changes_where_the_url_goes(call in any_call()) {
        let template = UrlTemplate::parse(
            "https://crm.example:8443/x/{guid}?phone={number}&camp={campaign}#who={cti.contact}",
        )
        .unwrap();
        let url = template.render(&call);
        prop_assert_eq!(url.scheme(), "https");
        prop_assert_eq!(url.host_str(), Some("crm.example"));
        prop_assert_eq!(url.port(), Some(8443));
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(
            pairs,
            vec![("phone".to_string(), call.number.clone()), ("camp".to_string(), call.campaign.clone())]
        );
        let who = call.value(&Field::parse("cti.contact").unwrap());
        let fragment = url.fragment().unwrap_or_default().to_string();
        let decoded = percent_encoding::percent_decode_str(fragment.strip_prefix("who=").unwrap())
            .decode_utf8()
            .unwrap()
            .into_owned();
        prop_assert_eq!(decoded, who);
    }
}

#[test]
fn a_placeholder_the_url_parser_puts_in_the_host_is_refused() {
    // Found by the fuzzer: the parser skips `///\\\` after `https:`, so `{guid}` stood in the host and a value
    // chose where the browser went (and an invalid one made rendering fail).
    for text in [
        "https:///\\\\\\call={guid}&camp\\\\\\\\\\//////////-ample.cO0",
        "https:////{number}/x",
        "https:\\\\{number}.example.com/",
        "https://crm.example.com:{number}/",
    ] {
        assert!(
            matches!(
                UrlTemplate::parse(text),
                Err(TemplateError::PlaceholderInAuthority { .. })
            ),
            "{text}: {:?}",
            UrlTemplate::parse(text)
        );
    }
    assert!(UrlTemplate::parse("https://crm.example.com///{number}").is_ok());
}
