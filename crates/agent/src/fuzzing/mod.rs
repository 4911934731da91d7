//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature): the parsers of files and text the agent
//! or an administrator hands the app (disposition trees, settings, typed and pasted phone numbers) and what pages
//! and the portal push (CTI JSON, encrypted CTI blobs, tel:/callto: links, the bridge's request bodies).
//!
//! Not a stable API and not part of the normal build. Each function runs the app's own parser on raw bytes and
//! panics when a property is broken (a number with a letter in it, settings that do not read back as saved, a
//! tree that breaks the rules `parse` promises); a plain parse error is fine. The unit tests below replay every
//! committed corpus and regression input, so `cargo test` guards what the fuzzer found.
//!
//! Adding a target: write a `pub fn name(data: &[u8])` here, list it in [`TARGETS`], then follow `fuzz/README.md`.

mod pushed;

pub use pushed::{bridge_request, link};

use crate::settings::Settings;

/// A fuzz target: takes any bytes, panics only when a property is broken.
pub type Target = fn(&[u8]);

/// Every target of this crate by its `cargo fuzz` name.
pub const TARGETS: &[(&str, Target)] = &[
    ("bridge_request", bridge_request),
    ("link", link),
    ("settings", settings),
    ("screen_pop_template", screen_pop_template),
];

/// settings.toml: whatever loads saves to a file that loads back the same.
pub fn settings(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(settings) = Settings::parse("settings.toml", text) else {
        return;
    };
    let saved = settings.to_toml().expect("loaded settings can be saved");
    let again = Settings::parse("settings.toml", &saved)
        .unwrap_or_else(|e| panic!("saved settings do not load: {e}\n{saved}"));
    assert_eq!(again, settings, "{saved}");
}

/// A screen-pop template (settings or policy): whatever parses renders, for any call, to a URL with the
/// template's own scheme, host and port, and its parameters and fragment — a value never changes where the URL goes.
pub fn screen_pop_template(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (template, value) = text.split_once('\n').unwrap_or((&text, "& #/?=%é"));
    let Ok(parsed) = crm::UrlTemplate::parse(template) else {
        return;
    };
    let sample = parsed.preview();
    let call = crm::CallFields {
        guid: value.into(),
        number: value.into(),
        campaign: value.into(),
        direction: crm::Direction::Inbound,
        agent: value.into(),
        extension: value.into(),
        cti: serde_json::json!({ "contact": value, "data": { "customer_id": value } }),
    };
    let url = parsed.render(&call);
    assert_eq!(
        (url.scheme(), url.host_str(), url.port()),
        (sample.scheme(), sample.host_str(), sample.port()),
        "{template} with {value:?}"
    );
    // Values are encoded, so they add no parameter and no fragment (an empty one may empty a parameter).
    let shapes = [&url, &sample].map(|u| {
        let parameters = u.query().map(|q| q.matches('&').count());
        (parameters, u.fragment().is_some())
    });
    assert_eq!(shapes[0], shapes[1], "{template} with {value:?}: {url}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_seeds_and_crashes_pass() {
        integra::fuzzing::replay_committed(TARGETS);
    }
}
