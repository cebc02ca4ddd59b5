//! The document store: files that are not rows (scanned documents), kept
//! under their SHA-256 behind one interface with two backends, chosen by
//! `CASEWORK_DOCUMENTS_URL`: a directory on disk (the embedded default) or
//! S3-compatible object storage (`s3://bucket/prefix`), both through
//! `object_store`. A file's key is made from its hash alone, so nothing a
//! request names ever becomes a path, and the same scan twice is one file.

pub mod pages;

use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as KeyPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use tokio::io::AsyncReadExt;

/// A failure of the document store, with its cause.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// The setting names no usable store.
    #[error("CASEWORK_DOCUMENTS_URL: {0}")]
    Setting(String),
    #[error("the document store failed: {0}")]
    Store(#[from] object_store::Error),
    #[error("reading a staged file failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Where scans are kept: one of the two backends and the key prefix.
#[derive(Clone)]
pub struct DocumentStore {
    inner: Arc<dyn ObjectStore>,
    prefix: KeyPath,
    described: String,
}

impl std::fmt::Debug for DocumentStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.described)
    }
}

/// A stored file's bytes, streamed.
pub struct StoredFile {
    pub size: u64,
    pub bytes: BoxStream<'static, Result<Bytes, FilesError>>,
}

impl DocumentStore {
    /// Opens the store a `CASEWORK_DOCUMENTS_URL` names: `s3://bucket/prefix`
    /// (endpoint, region and credentials from the `AWS_*` environment
    /// variables; plain http allowed for an endpoint on 127.0.0.1 or
    /// localhost), `file:///abs/dir`, or a directory path (created if
    /// missing).
    pub fn open(url: &str) -> Result<DocumentStore, FilesError> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(FilesError::Setting(format!("'{url}' names no bucket")));
            }
            // object_store's S3 client speaks TLS through rustls with ring,
            // the provider lettre already brings; installing it twice is
            // harmless (the second install is refused).
            let _ = rustls::crypto::ring::default_provider().install_default();
            let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
            let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
            if endpoint.starts_with("http://127.0.0.1")
                || endpoint.starts_with("http://localhost")
                || endpoint.starts_with("http://[::1]")
            {
                builder = builder.with_allow_http(true);
            }
            let s3 = builder
                .build()
                .map_err(|e| FilesError::Setting(format!("'{url}': {e}")))?;
            return Ok(DocumentStore {
                inner: Arc::new(s3),
                prefix: KeyPath::from(prefix.trim_matches('/')),
                described: format!("s3://{bucket}/{}", prefix.trim_matches('/')),
            });
        }
        let dir = url.strip_prefix("file://").unwrap_or(url);
        if dir.is_empty() || url.contains("://") && !url.starts_with("file://") {
            return Err(FilesError::Setting(format!(
                "'{url}' is neither a directory, file:///DIR nor s3://BUCKET/PREFIX"
            )));
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| FilesError::Setting(format!("cannot create the directory {dir}: {e}")))?;
        let local = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| FilesError::Setting(format!("'{dir}': {e}")))?;
        Ok(DocumentStore {
            inner: Arc::new(local),
            prefix: KeyPath::default(),
            described: format!("directory {dir}"),
        })
    }

    /// What the store is, for logs (no credentials).
    pub fn describe(&self) -> &str {
        &self.described
    }

    /// The key of a file: its hash, under a two-hex-digit folder.
    fn key(&self, sha256: &str) -> KeyPath {
        let hash: String = sha256
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let folder = hash.get(..2).unwrap_or("00");
        self.prefix
            .clone()
            .join("sha256")
            .join(folder)
            .join(hash.as_str())
    }

    /// Whether the file with this hash is stored.
    pub async fn contains(&self, sha256: &str) -> Result<bool, FilesError> {
        match self.inner.head(&self.key(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores the staged file at `staged` under `sha256` (its hash, which
    /// the caller computed while staging it), streaming it in parts;
    /// nothing is written when the file is already stored.
    pub async fn put_file(&self, sha256: &str, staged: &std::path::Path) -> Result<(), FilesError> {
        if self.contains(sha256).await? {
            return Ok(());
        }
        const PART: usize = 5 * 1024 * 1024;
        let upload = self.inner.put_multipart(&self.key(sha256)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut file = tokio::fs::File::open(staged).await?;
        let mut buffer = vec![0_u8; 256 * 1024];
        loop {
            let n = file.read(&mut buffer).await?;
            if n == 0 {
                break;
            }
            writer.wait_for_capacity(2).await?;
            writer.write(&buffer[..n]);
        }
        writer.finish().await?;
        Ok(())
    }

    /// The stored file with this hash, streamed; none when it is missing.
    pub async fn get(&self, sha256: &str) -> Result<Option<StoredFile>, FilesError> {
        match self.inner.get(&self.key(sha256)).await {
            Ok(result) => Ok(Some(StoredFile {
                size: result.meta.size,
                bytes: result
                    .into_stream()
                    .map(|chunk| chunk.map_err(FilesError::from))
                    .boxed(),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes the file with this hash; deleting one that is not there
    /// is no failure.
    pub async fn delete(&self, sha256: &str) -> Result<(), FilesError> {
        match self.inner.delete(&self.key(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
