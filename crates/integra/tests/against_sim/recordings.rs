//! Recording search, the four places, the GSM fallback and conversion.

use futures_util::TryStreamExt;
use integra::{AudioFormat, RecordFilter};

use crate::support::*;

#[tokio::test]
async fn search_sends_filter_pagination_and_random() {
    let (sim, client) = signed_in().await;
    let filter = RecordFilter::between("2026-11-01 00:00:00", "2026-11-30 23:59:59");
    let page = client.get_records(&filter, 0, 3).await.unwrap();
    assert_eq!(page.records.len(), 3);
    assert!(!page.is_last());
    let entry = only_request(&sim, "Cdr/getrecords");
    assert_eq!(entry.field("lastrow"), Some("0"));
    assert_eq!(entry.field("searchLimit"), Some("3"));
    assert_eq!(entry.field("Random"), Some("1"));
    assert_eq!(entry.json_field("filter").unwrap()["type"], "record");

    sim.clear_journal();
    let all: Vec<_> = client.records(filter, 3).try_collect().await.unwrap();
    assert_eq!(all.len(), 4, "the stream reads every page");
    let lastrows: Vec<_> = sim
        .journal()
        .iter()
        .map(|e| e.field("lastrow").unwrap().to_string())
        .collect();
    assert_eq!(lastrows, ["0", "3"]);
}

#[tokio::test]
async fn fetch_finds_root_dated_and_gsm_recordings() {
    let (_sim, client) = signed_in().await;
    let root = client
        .fetch_recording(
            "7e4e7db9-f080-494e-b04b-7c8e47711558",
            "2026-11-02 10:15:00",
        )
        .await
        .unwrap();
    assert_eq!(
        (root.format, root.url.path()),
        (
            AudioFormat::Mp3,
            "/records/7e4e7db9-f080-494e-b04b-7c8e47711558.mp3"
        )
    );
    assert!(root.bytes.starts_with(b"ID3"));
    let dated = client
        .fetch_recording(
            "0b1f5c1e-6a7d-4c55-9a30-2f4d3b8e9a11",
            "2026-11-02 11:40:10",
        )
        .await
        .unwrap();
    assert_eq!(
        dated.url.path(),
        "/records/20261102/0b1f5c1e-6a7d-4c55-9a30-2f4d3b8e9a11.mp3"
    );
    let gsm = client
        .fetch_recording(
            "c3d9a2b4-1e2f-4a6b-8c7d-9e0f1a2b3c4d",
            "2026-11-03 09:05:44",
        )
        .await
        .unwrap();
    assert_eq!(gsm.format, AudioFormat::Gsm);

    client
        .convert_recording("c3d9a2b4-1e2f-4a6b-8c7d-9e0f1a2b3c4d", "20261103")
        .await
        .unwrap();
    let converted = client
        .fetch_recording(
            "c3d9a2b4-1e2f-4a6b-8c7d-9e0f1a2b3c4d",
            "2026-11-03 09:05:44",
        )
        .await
        .unwrap();
    assert_eq!(
        converted.format,
        AudioFormat::Mp3,
        "after conversion the mp3 is found first"
    );
}

#[tokio::test]
async fn a_missing_recording_is_not_found_after_trying_every_place() {
    let (sim, client) = signed_in().await;
    let err = client
        .fetch_recording(
            "00000000-0000-0000-0000-000000000000",
            "2026-11-02 10:00:00",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, integra::Error::NotFound { .. }), "{err:?}");
    let tried = sim
        .journal()
        .iter()
        .filter(|e| e.path.starts_with("/records/"))
        .count();
    assert_eq!(
        tried, 4,
        "mp3 and gsm at the two distinct places of a single-host setup"
    );
}
