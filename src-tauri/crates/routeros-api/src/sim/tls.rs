//! TLS for the simulator's api-ssl mode.

use std::io;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

/// A self-signed certificate for `localhost` and `127.0.0.1`, with its DER and PEM forms.
pub(crate) fn self_signed() -> io::Result<(TlsAcceptor, Vec<u8>, String)> {
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let ck = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
    let cert_der = ck.cert.der().to_vec();
    let cert_pem = ck.cert.pem();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.key_pair.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert_der.clone())], key)
        .map_err(io::Error::other)?;
    Ok((TlsAcceptor::from(Arc::new(config)), cert_der, cert_pem))
}

/// Answers a ClientHello with a fatal `handshake_failure` alert, as a router without a
/// certificate does to a client that offers no anonymous-DH suite.
pub(crate) async fn refuse_handshake(mut tcp: TcpStream) {
    let mut buf = [0u8; 512];
    let _ = tcp.read(&mut buf).await;
    // TLS record: alert, TLS 1.2, length 2, level fatal(2), handshake_failure(40).
    let _ = tcp
        .write_all(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])
        .await;
    let _ = tcp.shutdown().await;
}
