//! TLS (api-ssl, port 8729) with rustls.

use std::sync::Arc;

use std::sync::Mutex;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use crate::error::{Error, ErrorKind};
use crate::options::{CertFingerprint, TlsOptions};

const NO_CERT_HINT: &str =
    "the router may have no certificate on the api-ssl service: without one \
RouterOS only offers anonymous Diffie-Hellman, which is not supported. Create or import a \
certificate on the router and set it with `/ip service set api-ssl certificate=<name>`";

fn tls_error(detail: String) -> Error {
    Error::new(ErrorKind::Tls).with_detail(detail)
}

/// How the router's certificate is judged; every mode records the certificate it was shown.
enum Trust {
    /// Exactly this certificate (`TlsOptions::pinned_sha256`).
    Pinned(CertFingerprint),
    /// Any certificate (`TlsOptions::insecure_skip_verify`).
    Any,
    /// Chains to one of the given roots, for the expected name (WebPKI rules).
    Roots(Arc<dyn ServerCertVerifier>),
    /// No roots were given: nothing is trusted.
    Nothing,
}

fn config(opts: &TlsOptions) -> Result<(ClientConfig, Arc<Verifier>), Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let trust = if let Some(pin) = opts.pinned_sha256 {
        Trust::Pinned(pin)
    } else if opts.insecure_skip_verify {
        Trust::Any
    } else if opts.root_certs.is_empty() {
        Trust::Nothing
    } else {
        let mut roots = RootCertStore::empty();
        for der in &opts.root_certs {
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|e| tls_error(format!("bad root certificate: {e}")))?;
        }
        let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .map_err(|e| tls_error(format!("bad root certificates: {e}")))?;
        Trust::Roots(webpki)
    };
    let verifier = Arc::new(Verifier {
        trust,
        provider: provider.clone(),
        seen: Mutex::new(None),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    Ok((config, verifier))
}

/// Runs the TLS handshake over a connected socket.
pub(crate) async fn connect(
    tcp: TcpStream,
    host: &str,
    opts: &TlsOptions,
) -> Result<TlsStream<TcpStream>, Error> {
    let name = opts
        .server_name
        .clone()
        .unwrap_or_else(|| host.trim_matches(['[', ']']).to_owned());
    let server_name =
        ServerName::try_from(name).map_err(|e| tls_error(format!("bad server name: {e}")))?;
    let (config, verifier) = config(opts)?;
    let connector = TlsConnector::from(Arc::new(config));
    connector.connect(server_name, tcp).await.map_err(|e| {
        let text = e.to_string();
        let seen = *verifier.seen.lock().unwrap_or_else(|p| p.into_inner());
        let err = match (seen, opts.pinned_sha256) {
            (Some(seen), Some(pin)) if seen != pin => tls_error(format!(
                "TLS handshake failed: the router's certificate is not the trusted one (trusted \
                 SHA-256 {pin}, the router presented {seen}); if the router's certificate was \
                 replaced on purpose, trust the new one"
            )),
            (Some(seen), _) if text.contains("certificate") || text.contains("UnknownIssuer") => {
                tls_error(format!(
                    "TLS handshake failed ({text}); the router's certificate is not trusted: \
                     trust it by its SHA-256 fingerprint {seen} (RouterOS shows it with \
                     `/certificate print detail`) or add its issuer to TlsOptions::root_certs"
                ))
            }
            _ => tls_error(format!("TLS handshake failed ({text}); {NO_CERT_HINT}")),
        };
        match seen {
            Some(seen) => err.with_presented_certificate(seen),
            None => err,
        }
    })
}

/// Judges the router's certificate by [`Trust`], remembering which certificate it was shown
/// (for the error, so the user can compare and trust it). Handshake signatures are always
/// checked.
struct Verifier {
    trust: Trust,
    provider: Arc<CryptoProvider>,
    seen: Mutex<Option<CertFingerprint>>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier").finish_non_exhaustive()
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = CertFingerprint::of_der(end_entity.as_ref());
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(seen);
        match &self.trust {
            Trust::Pinned(pin) if *pin == seen => Ok(ServerCertVerified::assertion()),
            Trust::Pinned(_) => Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            )),
            Trust::Any => Ok(ServerCertVerified::assertion()),
            Trust::Roots(webpki) => webpki.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            Trust::Nothing => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
