//! The trust the phone's TLS uses: the same as the API client's (crates/integra): the public roots (Mozilla's, as
//! webpki-roots ships them) plus the private CA certificates an on-premise server's IT department gives.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::PhoneError;

/// Extra CA certificates (PEM) trusted besides the public roots.
#[derive(Debug, Clone, Default)]
pub struct TlsTrust {
    extra_roots: Vec<Vec<u8>>,
}

impl TlsTrust {
    /// Trusts the certificates of this PEM bundle too; refuses a bundle with none in it.
    pub fn with_pem(mut self, pem: &[u8]) -> Result<TlsTrust, PhoneError> {
        let certs = parse_pem(pem)?;
        if certs.is_empty() {
            return Err(invalid("no PEM certificate found in it".into()));
        }
        self.extra_roots.push(pem.to_vec());
        Ok(self)
    }

    pub(crate) fn client_config(&self) -> Result<Arc<ClientConfig>, PhoneError> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for pem in &self.extra_roots {
            for cert in parse_pem(pem)? {
                roots
                    .add(cert)
                    .map_err(|e| invalid(format!("not a usable CA certificate ({e})")))?;
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

fn parse_pem(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, PhoneError> {
    CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(format!("not a PEM certificate ({e})")))
}

fn invalid(detail: String) -> PhoneError {
    PhoneError::Invalid {
        name: "CA certificate",
        detail,
    }
}
