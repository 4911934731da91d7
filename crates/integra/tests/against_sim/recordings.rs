//! getrecords pages and the paginating stream, fetching files from the candidate places, convert.

use futures_util::TryStreamExt;
use integra::{AudioFormat, Client, Error, RecordFilter};
use serde_json::json;

use crate::support::*;

const ROOT: &str = "7e4e7db9-f080-494e-b04b-7c8e47711558"; // 2026-11-02, /records/<guid>.mp3
const DATED: &str = "0b1f5c1e-6a7d-4c55-9a30-2f4d3b8e9a11"; // 2026-11-02, /records/20261102/<guid>.mp3
const GSM: &str = "c3d9a2b4-1e2f-4a6b-8c7d-9e0f1a2b3c4d"; // 2026-11-03, /records/20261103/<guid>.gsm only

fn november() -> RecordFilter {
    RecordFilter::between("2026-11-01 00:00:00", "2026-11-30 23:59:59")
}

#[tokio::test]
async fn get_records_sends_the_page_the_filter_and_random() {
    let (sim, client, token) = signed_in().await;
    let filter = RecordFilter {
        agent: "alice".into(),
        ..november()
    };
    let page = client.get_records(&filter, 0, 50).await.unwrap();
    let entry = only_request(&sim, "Cdr/getrecords");
    assert_token(&entry, &token);
    let names: Vec<&str> = fields(&entry).iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["lastrow", "searchLimit", "filter", "Random"]);
    assert_eq!(
        (
            entry.field("lastrow"),
            entry.field("searchLimit"),
            entry.field("Random")
        ),
        (Some("0"), Some("50"), Some("1"))
    );
    assert_eq!(
        entry.json_field("filter"),
        Some(json!({
            "calldatei": "2026-11-01 00:00:00", "calldatef": "2026-11-30 23:59:59", "agent": "alice",
            "campaign": "", "source": "", "destination": "", "data": "", "range": "", "rating": "",
            "mindur": "", "exclude": "", "type": "record", "cont": ""
        }))
    );
    let guids: Vec<&str> = page.records.iter().map(|r| r.guid.as_str()).collect();
    assert_eq!(guids, [ROOT, DATED]);
    let first = &page.records[0];
    assert_eq!(
        (first.duration, first.destination.as_str()),
        (184, "099123456"),
        "duration arrives quoted"
    );
    assert_eq!(first.extra["folder"], "20261102");
    assert!(page.is_last());
}

#[tokio::test]
async fn the_record_stream_pages_by_lastrow_until_a_short_page() {
    let (sim, client, _) = signed_in().await;
    let all: Vec<_> = client.records(november(), 3).try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
    let pages: Vec<(String, String, String)> = sim
        .journal()
        .iter()
        .map(|e| {
            assert_form_post(e, "Cdr/getrecords");
            let f = |k| e.field(k).unwrap().to_string();
            (f("lastrow"), f("searchLimit"), f("Random"))
        })
        .collect();
    let page = |lastrow: &str| (lastrow.to_string(), "3".to_string(), "1".to_string());
    assert_eq!(pages, [page("0"), page("3")]);

    sim.clear_journal();
    let all: Vec<_> = client.records(november(), 2).try_collect().await.unwrap();
    assert_eq!(all.len(), 4);
    let lastrows: Vec<String> = sim
        .journal()
        .iter()
        .map(|e| e.field("lastrow").unwrap().into())
        .collect();
    assert_eq!(
        lastrows,
        ["0", "2", "4"],
        "a full last page needs one more, empty, page"
    );
}

fn file_requests(sim: &integra_sim::RunningSim) -> Vec<(String, String, u16)> {
    sim.journal()
        .into_iter()
        .map(|e| {
            assert_eq!(e.authorization, None, "recording hosts never get the token");
            (e.method, e.path, e.status)
        })
        .collect()
}

fn get(path: &str, status: u16) -> (String, String, u16) {
    ("GET".into(), path.into(), status)
}

#[tokio::test]
async fn fetch_finds_a_recording_in_the_records_root() {
    let (sim, client, _) = signed_in().await;
    let found = client
        .fetch_recording(ROOT, "2026-11-02 10:15:00")
        .await
        .unwrap();
    assert_eq!(found.format, AudioFormat::Mp3);
    assert!(found.bytes.starts_with(b"ID3"));
    assert_eq!(found.url.path(), format!("/records/{ROOT}.mp3"));
    assert_eq!(
        file_requests(&sim),
        [get(&format!("/records/{ROOT}.mp3"), 200)]
    );
}

#[tokio::test]
async fn fetch_tries_the_date_folder_next() {
    let (sim, client, _) = signed_in().await;
    let found = client
        .fetch_recording(DATED, "2026-11-02 11:40:10")
        .await
        .unwrap();
    assert_eq!(found.format, AudioFormat::Mp3);
    assert_eq!(
        file_requests(&sim),
        [
            get(&format!("/records/{DATED}.mp3"), 404),
            get(&format!("/records/20261102/{DATED}.mp3"), 200)
        ]
    );
}

#[tokio::test]
async fn gsm_only_recordings_are_fetched_as_gsm_and_convert_makes_the_mp3() {
    let (sim, client, token) = signed_in().await;
    let found = client
        .fetch_recording(GSM, "2026-11-03 09:05:44")
        .await
        .unwrap();
    assert_eq!(found.format, AudioFormat::Gsm);
    assert_eq!(found.bytes[0] >> 4, 0xd, "a GSM 06.10 frame");
    assert_eq!(
        file_requests(&sim),
        [
            get(&format!("/records/{GSM}.mp3"), 404),
            get(&format!("/records/20261103/{GSM}.mp3"), 404),
            get(&format!("/records/{GSM}.gsm"), 404),
            get(&format!("/records/20261103/{GSM}.gsm"), 200),
        ]
    );

    sim.clear_journal();
    client.convert_recording(GSM, "20261103").await.unwrap();
    let entry = only_request(&sim, "Supervisor/convert");
    assert_token(&entry, &token);
    assert_eq!(fields(&entry), [("guid", GSM), ("folder", "20261103")]);

    let converted = client
        .fetch_recording(GSM, "2026-11-03 09:05:44")
        .await
        .unwrap();
    assert_eq!(converted.format, AudioFormat::Mp3);
    assert!(converted.bytes.starts_with(b"ID3"));
}

#[tokio::test]
async fn an_unknown_recording_is_not_found_after_every_place() {
    let (sim, client, _) = signed_in().await;
    let guid = "00000000-0000-4000-8000-000000000000";
    let err = client
        .fetch_recording(guid, "2026-11-02 10:00:00")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                endpoint: "records"
            }
        ),
        "{err:?}"
    );
    assert_eq!(file_requests(&sim).len(), 4, "2 places × mp3 and gsm");
    let err = client
        .convert_recording(guid, "20261102")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                endpoint: "Supervisor/convert",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_dead_telephony_host_does_not_hide_the_backup_copy() {
    let (sim, _, _) = signed_in().await;
    let dead = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    }; // the port is closed again when the listener drops
    let client = Client::builder(sim.base_url())
        .recordings_hosts([dead.as_str(), sim.base_url().as_str()])
        .build()
        .unwrap();
    assert_eq!(client.recording_urls(DATED, "2026-11-02 11:40:10").len(), 4);
    let found = client
        .fetch_recording(DATED, "2026-11-02 11:40:10")
        .await
        .unwrap();
    assert_eq!(
        found.url.as_str(),
        format!("{}/records/20261102/{DATED}.mp3", sim.base_url())
    );
    assert_eq!(
        file_requests(&sim),
        [get(&format!("/records/20261102/{DATED}.mp3"), 200)]
    );

    let gone = "00000000-0000-4000-8000-000000000000";
    let err = client
        .fetch_recording(gone, "2026-11-02")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Connect { .. }),
        "the failure is reported, not hidden as 404: {err:?}"
    );
}
