//! Wablas v2 wire types (gateways.md §C.2). The response shape is [U]: only `status` and
//! `data.messages[].id/status` are relied on.

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
pub(crate) struct SendRequest<'a> {
    pub data: [SendItem<'a>; 1],
}

#[derive(Debug, Serialize)]
pub(crate) struct SendItem<'a> {
    pub phone: &'a str,
    pub message: &'a str,
    #[serde(rename = "isGroup")]
    pub is_group: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SendResponse {
    #[serde(default)]
    pub status: bool,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub data: Option<SendData>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SendData {
    #[serde(default)]
    pub messages: Vec<SentMessage>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SentMessage {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}
