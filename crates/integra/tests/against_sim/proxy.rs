//! Through a real proxy on loopback (Debian's tinyproxy): requests arrive with its `Via` header, Basic
//! authentication goes with them, and a proxy that refuses (407, a closed port, a CONNECT it will not open) is
//! named in the error instead of "cannot reach the server".

use integra::{Client, Error, Password, ProxyConfig, ProxyProblem};
use integra_sim::tinyproxy::free_port;
use integra_sim::{Tinyproxy, TinyproxyOptions};

use crate::support::*;

fn through(server: &str, proxy: ProxyConfig) -> Client {
    Client::builder(server).proxy(proxy).build().unwrap()
}

async fn with_auth() -> Tinyproxy {
    Tinyproxy::start(TinyproxyOptions {
        basic_auth: Some(("bob".into(), "s3cret-proxy".into())),
    })
    .await
    .expect("tinyproxy starts")
}

#[tokio::test]
async fn requests_go_through_the_configured_proxy() {
    let sim = sim().await;
    let proxy = Tinyproxy::start(TinyproxyOptions::default()).await.unwrap();
    let client = through(
        &sim.base_url(),
        ProxyConfig::explicit(&proxy.url()).unwrap(),
    );
    let used = client.proxy_for(client.base_url()).unwrap();
    assert_eq!(used.url, format!("{}/", proxy.url()));
    client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    let entry = &sim.journal()[0];
    assert!(
        entry
            .via
            .as_deref()
            .is_some_and(|v| v.contains("tinyproxy")),
        "{entry:?}"
    );
    assert!(
        proxy.log().contains("/Integra/resources/auth/AgentLogin"),
        "{}",
        proxy.log()
    );

    // The same server without a proxy: no Via.
    sim.clear_journal();
    let direct = through(&sim.base_url(), ProxyConfig::none());
    assert_eq!(direct.proxy_for(direct.base_url()), None);
    direct
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    assert_eq!(sim.journal()[0].via, None);
}

#[tokio::test]
async fn basic_authentication_goes_to_the_proxy_and_a_407_says_what_to_fix() {
    let sim = sim().await;
    let proxy = with_auth().await;
    let explicit = || ProxyConfig::explicit(&proxy.url()).unwrap();
    let client = through(
        &sim.base_url(),
        explicit().with_credentials("bob", Password::new("s3cret-proxy")),
    );
    client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap();
    assert!(sim.journal()[0].via.is_some());
    sim.clear_journal();

    let anonymous = through(&sim.base_url(), explicit());
    let err = anonymous
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Proxy {
                problem: ProxyProblem::AuthRequired,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(&proxy.url()), "names the proxy: {message}");
    assert!(
        message.contains("asks for a user name and password"),
        "{message}"
    );
    assert!(!err.is_transient());

    // Wrong credentials: a standard proxy answers 407 again (CredentialsRefused, see the unit tests); tinyproxy
    // 1.11 answers 401 and closes the connection before reading the request, which reaches the client as a reset.
    // Either way the error names the proxy and never the password.
    let wrong = through(
        &sim.base_url(),
        explicit().with_credentials("bob", Password::new("not-it")),
    );
    let err = wrong
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains(&proxy.url()), "{err}");
    assert!(!err.to_string().contains("not-it"), "{err}");
    assert!(sim.journal().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn a_proxy_that_is_not_there_is_named_not_the_server() {
    let sim = sim().await;
    let nowhere = format!("http://{}", free_port().unwrap());
    let client = through(&sim.base_url(), ProxyConfig::explicit(&nowhere).unwrap());
    let err = client
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Proxy {
                problem: ProxyProblem::Unreachable(_),
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!(
            "the configured proxy {nowhere}/ cannot be reached"
        )),
        "{message}"
    );
    assert!(!message.contains("cannot reach the server"), "{message}");
    assert!(err.is_transient(), "the proxy may come back");
    assert!(sim.journal().is_empty());
}

#[tokio::test]
async fn https_goes_through_connect_and_its_refusals_are_the_proxys() {
    // No HTTPS server is needed to see the CONNECT: tinyproxy cannot open a tunnel to a closed port, and an
    // authenticating one answers the CONNECT itself with 407.
    let closed = format!("https://{}", free_port().unwrap());
    let open = Tinyproxy::start(TinyproxyOptions::default()).await.unwrap();
    let err = through(&closed, ProxyConfig::explicit(&open.url()).unwrap())
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Proxy {
                problem: ProxyProblem::TunnelRefused,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(open.log().contains("CONNECT"), "{}", open.log());

    let guarded = with_auth().await;
    let err = through(&closed, ProxyConfig::explicit(&guarded.url()).unwrap())
        .agent_login("alice", &Password::new("alice-pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Proxy {
                problem: ProxyProblem::AuthRequired,
                ..
            }
        ),
        "{err:?}"
    );
}

/// A forwarding proxy that serves one request per connection and, like tinyproxy between requests, closes a
/// connection that brings a second one without answering it (and without having said `Connection: close`).
async fn one_request_per_connection_proxy(server: std::net::SocketAddr) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let request = read_http_message(&mut client).await;
                // Forwarded as is (absolute-form target), with Connection: close to the server.
                let request = String::from_utf8_lossy(&request).replacen(
                    "\r\n",
                    "\r\nConnection: close\r\n",
                    1,
                );
                let mut upstream = tokio::net::TcpStream::connect(server).await.unwrap();
                upstream.write_all(request.as_bytes()).await.unwrap();
                let mut answer = Vec::new();
                upstream.read_to_end(&mut answer).await.unwrap();
                let answer = String::from_utf8_lossy(&answer).replace("connection: close\r\n", "");
                client.write_all(answer.as_bytes()).await.unwrap();
                // The next request on this connection is read, then dropped with the connection.
                let _ = read_http_message(&mut client).await;
            });
        }
    });
    url
}

/// Reads one HTTP request (head and Content-Length body); empty at end of stream.
async fn read_http_message(stream: &mut tokio::net::TcpStream) -> Vec<u8> {
    use tokio::io::AsyncReadExt;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return buf;
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return buf,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

#[tokio::test]
async fn a_proxy_that_closes_its_connections_between_requests_loses_no_request() {
    let sim = sim().await;
    let server: std::net::SocketAddr = sim
        .base_url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let proxy = one_request_per_connection_proxy(server).await;
    let client = through(&sim.base_url(), ProxyConfig::explicit(&proxy).unwrap());
    // Back to back, as the sign-in and the first calls are: each on a connection of its own.
    for _ in 0..3 {
        client
            .agent_login("alice", &Password::new("alice-pw"))
            .await
            .expect("every request through the proxy is answered");
    }
    assert_eq!(sim.journal().len(), 3);
}
