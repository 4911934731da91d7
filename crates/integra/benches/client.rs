//! Per-request cost of the client beside curl and Python `requests.Session`, on the same DispositionCall endpoint
//! of an in-process simulator in the same run; and the memory and time of a 1,000,000-row base upload.
//!
//! Run with `cargo bench -p integra --bench client` (`BENCH_REQUESTS=N` to change the 10,000 requests). Prints a
//! table; it asserts nothing. curl and python3 with `requests` are used when present, skipped otherwise.

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use integra::{BaseUpload, Campaign, Client, Disposition, Password};

const PYTHON: &str = r#"
import sys, time, requests
from concurrent.futures import ThreadPoolExecutor
url, token, n, inflight = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
body = {"campaign": "Ventas->", "agent": "alice", "callerid": "099123456", "guid": "bench", "l1": "Contactado",
        "l2": "Venta", "l3": "Tarjeta", "d1": "", "d2": "", "comment": "", "schedule": "", "camptoreschedule": "", "tag": ""}
headers = {"Authorization": "Basic " + token, "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
def run(count):
    s = requests.Session()
    for _ in range(count):
        r = s.post(url, data=body, headers=headers)
        assert r.text.strip() == "1", r.text
start = time.perf_counter()
if inflight == 1:
    run(n)
else:
    with ThreadPoolExecutor(inflight) as pool:
        list(pool.map(run, [n // inflight] * inflight))
print(time.perf_counter() - start)
"#;

fn disposition() -> Disposition {
    Disposition {
        campaign: "Ventas->".into(),
        agent: "alice".into(),
        callerid: "099123456".into(),
        guid: "bench".into(),
        l1: "Contactado".into(),
        l2: "Venta".into(),
        l3: "Tarjeta".into(),
        ..Default::default()
    }
}

fn row(name: &str, inflight: usize, n: usize, elapsed: Duration) {
    let per = elapsed.as_secs_f64() * 1e6 / n as f64;
    let rate = n as f64 / elapsed.as_secs_f64();
    println!(
        "{name:<28} {inflight:>9} {n:>9} {:>10.3} {per:>12.1} {rate:>10.0}",
        elapsed.as_secs_f64()
    );
}

fn curl(url: &str, token: &str, n: usize, inflight: usize, dir: &Path) -> Option<Duration> {
    let config = dir.join(format!("curl-{inflight}.cfg"));
    let mut file = std::fs::File::create(&config).ok()?;
    let body = "campaign=Ventas-%3E&agent=alice&callerid=099123456&guid=bench&l1=Contactado&l2=Venta&l3=Tarjeta&d1=&d2=&comment=&schedule=&camptoreschedule=&tag=";
    for i in 0..n {
        if i > 0 {
            writeln!(file, "next").ok()?;
        }
        writeln!(
            file,
            "url = \"{url}\"\ndata = \"{body}\"\noutput = \"/dev/null\"\nsilent"
        )
        .ok()?;
        writeln!(file, "header = \"Authorization: Basic {token}\"").ok()?;
        writeln!(
            file,
            "header = \"Content-Type: application/x-www-form-urlencoded; charset=UTF-8\""
        )
        .ok()?;
    }
    drop(file);
    let mut cmd = Command::new("curl");
    cmd.arg("--silent");
    if inflight > 1 {
        cmd.args(["--parallel", "--parallel-max", &inflight.to_string()]);
    }
    let start = Instant::now();
    let status = cmd.arg("-K").arg(&config).status().ok()?;
    status.success().then(|| start.elapsed())
}

fn python(url: &str, token: &str, n: usize, inflight: usize) -> Option<Duration> {
    let out = Command::new("python3")
        .args([
            "-c",
            PYTHON,
            url,
            token,
            &n.to_string(),
            &inflight.to_string(),
        ])
        .output()
        .ok()?;
    let secs: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    out.status.success().then(|| Duration::from_secs_f64(secs))
}

/// Peak resident memory of this process, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Child mode: upload one base and print seconds and peak RSS, so the simulator's memory is not counted.
async fn upload_child(url: &str, token: &str, file: &str) {
    let client = Client::builder(url).build().unwrap();
    client.set_token(Some(integra::Token::new(token)));
    let baseline = peak_rss_kib();
    let upload = BaseUpload {
        campaign: Campaign::new("Ventas->"),
        username: "alice".into(),
        filename: None,
        timezone: None,
    };
    let start = Instant::now();
    if file != "-" {
        client
            .upload_base(&upload, Path::new(file))
            .await
            .expect("upload succeeds");
    }
    println!(
        "{} {} {}",
        start.elapsed().as_secs_f64(),
        baseline,
        peak_rss_kib()
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("upload-child") {
        return upload_child(&args[2], &args[3], &args[4]).await;
    }
    let n: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let sim = integra_sim::spawn(
        integra_sim::SimConfig::demo(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let client = Client::builder(sim.base_url()).build().unwrap();
    let token = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap()
        .token();
    client.set_token(Some(token.clone()));
    let url = format!("{}/Integra/resources/api/DispositionCall", sim.base_url());
    let dir = tempfile::tempdir().unwrap();

    println!("DispositionCall against integra-sim on loopback, {n} requests per row");
    println!(
        "{:<28} {:>9} {:>9} {:>10} {:>12} {:>10}",
        "client", "in flight", "requests", "total s", "µs/request", "req/s"
    );
    let d = disposition();
    for _ in 0..200 {
        client.disposition_call(&d).await.unwrap(); // warm the connection pool
    }
    let start = Instant::now();
    for _ in 0..n {
        client.disposition_call(&d).await.unwrap();
    }
    row("integra (Rust, reqwest)", 1, n, start.elapsed());
    let start = Instant::now();
    futures_util::stream::iter(0..n)
        .map(|_| client.disposition_call(&d))
        .buffer_unordered(16)
        .for_each(|r| async move { r.unwrap() })
        .await;
    row("integra (Rust, reqwest)", 16, n, start.elapsed());

    let (url2, token2) = (url.clone(), token.expose().to_string());
    for inflight in [1, 16] {
        let (u, t, p) = (url2.clone(), token2.clone(), dir.path().to_path_buf());
        match tokio::task::spawn_blocking(move || curl(&u, &t, n, inflight, &p))
            .await
            .unwrap()
        {
            Some(elapsed) => row("curl (one process, -K)", inflight, n, elapsed),
            None => println!("curl: not available, skipped"),
        }
    }
    for inflight in [1, 16] {
        let (u, t) = (url2.clone(), token2.clone());
        match tokio::task::spawn_blocking(move || python(&u, &t, n, inflight))
            .await
            .unwrap()
        {
            Some(elapsed) => row("python requests.Session", inflight, n, elapsed),
            None => println!("python3 with requests: not available, skipped"),
        }
    }

    let rows: usize = std::env::var("BENCH_BASE_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let base = dir.path().join("base.txt");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&base).unwrap());
    for i in 0..rows {
        writeln!(
            file,
            "Ventas->;09{:07};id={i}:src=bench;098{:06}:097{:06};{};",
            i,
            i % 1_000_000,
            i % 999_999,
            2 + i % 100
        )
        .unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let size = std::fs::metadata(&base).unwrap().len();
    let me = std::env::current_exe().unwrap();
    let child = |file: String| {
        let (me, url, token) = (me.clone(), sim.base_url(), token2.clone());
        tokio::task::spawn_blocking(move || {
            let out = Command::new(me)
                .args(["upload-child", &url, &token, &file])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            let v: Vec<f64> = text
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            (v[0], v[1] as u64, v[2] as u64)
        })
    };
    let (_, _, idle_peak) = child("-".into()).await.unwrap();
    let (secs, _, peak) = child(base.display().to_string()).await.unwrap();
    let state = sim.state();
    let received = state["bases"][0]["rows"].as_u64().unwrap_or(0);
    println!();
    println!(
        "uploadbase of a {rows}-row base ({:.1} MiB file, {:.1} MiB as base64):",
        size as f64 / 1048576.0,
        size as f64 * 4.0 / 3.0 / 1048576.0
    );
    println!(
        "  time {secs:.2} s ({:.1} MiB/s of file); server decoded {received} rows",
        size as f64 / 1048576.0 / secs
    );
    println!(
        "  client peak RSS {:.1} MiB, of which {:.1} MiB above the same process doing nothing ({:.1} MiB)",
        peak as f64 / 1024.0,
        peak.saturating_sub(idle_peak) as f64 / 1024.0,
        idle_peak as f64 / 1024.0
    );
}
