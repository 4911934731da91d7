//! Base uploads against a strict server: the body goes out with a `Content-Length` that matches it byte for byte,
//! so a server or proxy that answers 411 to a chunked body takes it.

use std::io::Write;

use base64::Engine;
use integra::{BaseUpload, Campaign, Password};
use integra_sim::{JournalEntry, RunningSim, SimConfig};

use crate::support::*;

/// A simulator that answers 411 Length Required to any body without a length, and a client signed in to it.
async fn strict() -> (RunningSim, integra::Client) {
    let sim = sim_with(SimConfig {
        require_content_length: true,
        ..SimConfig::demo()
    })
    .await;
    let client = client(&sim);
    let record = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    client.set_token(Some(record.token()));
    sim.clear_journal();
    (sim, client)
}

/// The form body the reference asks for, built whole (the test can afford to hold it).
fn expected_body(fields: &[(&str, &str)], file: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(file);
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        form.append_pair(k, v);
    }
    form.append_pair("fileb64", &b64);
    form.finish()
}

fn assert_sized(entry: &JournalEntry, expected: &str) {
    assert_eq!(entry.transfer_encoding, None, "not chunked");
    assert_eq!(
        entry.content_length.as_deref(),
        Some(expected.len().to_string().as_str()),
        "Content-Length is the exact length of the encoded form"
    );
    assert_eq!(
        entry.body_bytes,
        expected.len() as u64,
        "and every byte arrived"
    );
    assert_eq!(entry.status, 200);
}

#[tokio::test]
async fn the_strict_server_refuses_a_chunked_body() {
    let (sim, _) = strict().await;
    let chunked =
        reqwest::Body::wrap_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
            bytes::Bytes::from_static(b"campaign=Ventas-%3E"),
        )]));
    let answer = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!(
            "{}/Integra/resources/Dialers/uploadbase",
            sim.base_url()
        ))
        .body(chunked)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 411);
}

#[tokio::test]
async fn uploads_carry_their_exact_length_whatever_the_file_holds() {
    let (sim, client) = strict().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base ñ.txt");
    // Several chunks of the stream, bytes that turn into `+` and `/` (percent-encoded to three bytes each), a
    // length that is not a multiple of 3 (so the base64 ends in `=`), and non-ASCII text in a field.
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..20_000 {
        writeln!(
            out,
            "Ventas->;09{i:07};nombre=Núñez ÿ?>{i}:k=~~~;098{i:06};{};",
            2 + i % 7
        )
        .unwrap();
    }
    write!(out, "Ventas->;099999999").unwrap();
    drop(out);
    let file = std::fs::read(&path).unwrap();
    assert_ne!(file.len() % 3, 0);
    let upload = BaseUpload {
        campaign: Campaign::new("Ventas->"),
        username: "admin ñandú".into(),
        filename: None,
        timezone: None,
    };
    client.upload_base(&upload, &path).await.unwrap();
    let entry = only_request(&sim, "Dialers/uploadbase");
    let fields = [
        ("filename", "base ñ.txt"),
        ("campaign", "Ventas->"),
        ("cant", "20001"),
        ("username", "admin ñandú"),
    ];
    let expected = expected_body(&fields, &file);
    assert!(expected.contains("%2B") && expected.contains("%2F") && expected.ends_with("%3D"));
    assert_sized(&entry, &expected);
    assert_eq!(sim.state()["bases"][0]["rows"], 20_001);

    sim.clear_journal();
    client
        .upload_base_with_timezone(&upload, &path, "America/Montevideo")
        .await
        .unwrap();
    let entry = only_request(&sim, "Dialers/uploadbasewithtimezone");
    let mut with_tz = fields.to_vec();
    with_tz.push(("timezone", "America/Montevideo"));
    assert_sized(&entry, &expected_body(&with_tz, &file));
}
