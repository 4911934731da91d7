//! TLS to an on-premise server with a private CA, against a real HTTPS server on loopback
//! ([`integra_sim::PrivateCaServer`]: Python's, with a certificate `openssl` signed with its own CA):
//! without the CA the certificate is refused (there is no switch to accept it); with the CA file from the settings
//! the handshake goes through.

use std::path::Path;

use agent::profile::IdentityOverrides;
use agent::session::Session;
use agent_error::ErrorCode;
use integra::Password;
use integra_sim::PrivateCaServer;
use keychain::MemoryStore;

async fn sign_in(url: &str, ca: Option<&Path>) -> agent_error::AgentError {
    Session::sign_in_trusting(
        url,
        ca,
        &proxy_settings::ProxySettings::default(),
        "alice",
        &Password::new("alice-pw"),
        &IdentityOverrides::default(),
        &MemoryStore::default(),
    )
    .await
    .expect_err("the server answers 0")
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let server = PrivateCaServer::start(dir.path());

    let refused = sign_in(&server.url, None).await;
    assert_eq!(refused.code(), ErrorCode::ServerUnreachable, "{refused}");
    assert!(
        refused.to_string().to_lowercase().contains("certificate"),
        "the agent is told it is the certificate: {refused}"
    );

    // With the CA the handshake passes and the request reaches the server, which says no.
    let through = sign_in(&server.url, Some(&server.ca)).await;
    assert_eq!(through.code(), ErrorCode::WrongCredentials, "{through}");

    let missing = sign_in(&server.url, Some(&dir.path().join("nope.pem"))).await;
    assert_eq!(missing.code(), ErrorCode::InvalidSettings);
    assert!(missing.to_string().contains("nope.pem"), "{missing}");
}
