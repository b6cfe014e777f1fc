//! TLS (api-ssl, port 8729) with rustls.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

use crate::error::{Error, ErrorKind};
use crate::options::TlsOptions;

const NO_CERT_HINT: &str =
    "the router may have no certificate on the api-ssl service: without one \
RouterOS only offers anonymous Diffie-Hellman, which is not supported. Create or import a \
certificate on the router and set it with `/ip service set api-ssl certificate=<name>`";

fn tls_error(detail: String) -> Error {
    Error::new(ErrorKind::Tls).with_detail(detail)
}

fn config(opts: &TlsOptions) -> Result<ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(e.to_string()))?;
    let config = if opts.insecure_skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth()
    } else {
        let mut roots = RootCertStore::empty();
        for der in &opts.root_certs {
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|e| tls_error(format!("bad root certificate: {e}")))?;
        }
        builder.with_root_certificates(roots).with_no_client_auth()
    };
    Ok(config)
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
    let connector = TlsConnector::from(Arc::new(config(opts)?));
    connector.connect(server_name, tcp).await.map_err(|e| {
        let text = e.to_string();
        let cert_problem = text.contains("certificate") || text.contains("UnknownIssuer");
        let hint = if cert_problem {
            "the router's certificate is not trusted; add it to TlsOptions::root_certs"
        } else {
            NO_CERT_HINT
        };
        tls_error(format!("TLS handshake failed ({text}); {hint}"))
    })
}

/// Verifier that accepts every certificate (`TlsOptions::insecure_skip_verify`), still
/// checking the handshake signatures.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
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
            &self.0.signature_verification_algorithms,
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
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
