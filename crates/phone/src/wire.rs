//! The phone's connection: TCP, then TLS with the phone's trust, then the WebSocket upgrade asking for the `sip`
//! subprotocol (RFC 7118). Each failure is told apart, because each has a different fix: the address, the
//! certificate, or the server (a web server that is not the SIP one).

use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::WebSocketStream;
use url::Url;

use crate::{PhoneError, ProxyRoute, TlsTrust};

/// A WebSocket carrying SIP, over TLS.
pub(crate) type SipSocket = WebSocketStream<TlsStream<TcpStream>>;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// A TLS handshake is two round trips: a port that says nothing for this long is not a TLS port (a plain ws://
/// port waits for an HTTP request and never answers a ClientHello).
const TLS_TIMEOUT: Duration = Duration::from_secs(6);

/// Opens the connection to `server` (a `wss://` URL already checked by `SipAccount::new`), through `route`'s proxy
/// when it names one.
pub(crate) async fn connect(
    server: &Url,
    trust: &TlsTrust,
    route: &ProxyRoute,
) -> Result<SipSocket, PhoneError> {
    let address = server.to_string();
    let host = server
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_string();
    let port = server.port_or_known_default().unwrap_or(443);
    let unreachable = |detail: String| PhoneError::Unreachable {
        address: address.clone(),
        detail,
    };
    let tcp = match route.for_server(server) {
        Some(proxy) => crate::proxy::tunnel(&proxy, &host, port).await?,
        None => tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((host.as_str(), port)))
            .await
            .map_err(|_| unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())))?
            .map_err(|e| unreachable(e.to_string()))?,
    };
    let _ = tcp.set_nodelay(true);

    let name = ServerName::try_from(host.clone()).map_err(|e| PhoneError::Invalid {
        name: "phone server address",
        detail: format!("{host:?} is not a host name ({e})"),
    })?;
    let tls = TlsConnector::from(trust.client_config()?);
    let tls = tokio::time::timeout(TLS_TIMEOUT, tls.connect(name, tcp))
        .await
        .map_err(|_| PhoneError::Tls {
            address: address.clone(),
            detail: "the TLS handshake got no answer (is it a plain ws:// port?)".into(),
        })?
        .map_err(|e| PhoneError::Tls {
            address: address.clone(),
            detail: tls_detail(&e),
        })?;

    let mut request = server
        .as_str()
        .into_client_request()
        .map_err(|e| PhoneError::Invalid {
            name: "phone server address",
            detail: e.to_string(),
        })?;
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", HeaderValue::from_static("sip"));
    let not_sip = |detail: String| PhoneError::NotSip {
        address: address.clone(),
        detail,
    };
    let (socket, response) = tokio::time::timeout(
        CONNECT_TIMEOUT,
        tokio_tungstenite::client_async(request, tls),
    )
    .await
    .map_err(|_| not_sip("no WebSocket answer".into()))?
    .map_err(|e| not_sip(e.to_string()))?;
    let protocol = response
        .headers()
        .get("Sec-WebSocket-Protocol")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !protocol
        .split(',')
        .any(|p| p.trim().eq_ignore_ascii_case("sip"))
    {
        return Err(not_sip(format!(
            "the WebSocket did not accept the sip subprotocol (it answered {protocol:?})"
        )));
    }
    Ok(socket)
}

/// rustls's reasons for the usual certificate problems, said for a person (the raw text when it is another).
fn tls_detail(error: &std::io::Error) -> String {
    use rustls::CertificateError as Cert;
    let reason = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    match reason {
        Some(rustls::Error::InvalidCertificate(cert)) => match cert {
            Cert::NotValidForName => "its certificate is for another host".into(),
            Cert::NotValidForNameContext { presented, .. } => {
                let names: Vec<&str> = presented
                    .iter()
                    .map(String::as_str)
                    .map(presented_name)
                    .collect();
                if names.is_empty() {
                    "its certificate is for another host".into()
                } else {
                    format!(
                        "its certificate is for another host (it names {})",
                        names.join(", ")
                    )
                }
            }
            Cert::UnknownIssuer => format!(
                "its certificate is signed by an authority this computer does not trust{UNKNOWN_CA_HINT}"
            ),
            Cert::Expired | Cert::ExpiredContext { .. } => "its certificate has expired".into(),
            other => format!("its certificate was refused ({other:?})"),
        },
        Some(rustls::Error::InvalidMessage(_))
        | Some(rustls::Error::InappropriateMessage { .. }) => {
            "it does not speak TLS on that port (is it a plain ws:// port?)".into()
        }
        _ => error.to_string(),
    }
}

/// What the app tells the agent to do about an unknown CA; `probe` leaves it out (the command line has its own flag).
pub(crate) const UNKNOWN_CA_HINT: &str = " (add the server's CA in Settings)";

/// A name of the certificate as webpki lists it (`DnsName("pbx.example")`, `IpAddress(10.0.0.1)`), without the
/// wrapping.
fn presented_name(listed: &str) -> &str {
    let inner = match (listed.find('('), listed.rfind(')')) {
        (Some(open), Some(close)) if close > open => &listed[open + 1..close],
        _ => listed,
    };
    inner.trim_matches('"')
}
