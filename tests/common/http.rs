//! Requests to a test server as one of its officers.

use casework::domain::roles::Role;
use serde_json::Value;

use super::TestApp;

/// A GET as the officer of `role` that `spawn_app` made.
pub async fn get(app: &TestApp, path: &str, role: Role) -> reqwest::Response {
    get_with_token(app, path, app.token(role)).await
}

/// A GET with `token` as the bearer token.
pub async fn get_with_token(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

/// A POST of a JSON body as the officer of `role` that `spawn_app` made.
pub async fn post_json(app: &TestApp, path: &str, role: Role, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .json(body)
        .send()
        .await
        .expect("request")
}

/// A PUT of `bytes` (a file) as the officer of `role` that `spawn_app` made.
pub async fn put_bytes(app: &TestApp, path: &str, role: Role, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(app.token(role))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .expect("request")
}
