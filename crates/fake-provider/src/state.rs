//! What the server remembers: accepted keys, pending faults and a log of requests.
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use axum::http::HeaderMap;
use serde::Serialize;
use serde_json::Value;

use crate::fault::Fault;

/// Whether a header carries a credential: the key headers of the three APIs, proxy
/// authorization, cookies, and any name with token, secret or key in it (the names the app
/// keeps in the keychain). Such values are never recorded, only their last four characters.
/// The headers a provider's API key travels in.
const SECRET_HEADERS: [&str; 3] = ["authorization", "x-api-key", "x-goog-api-key"];

fn is_credential(name: &str) -> bool {
    matches!(name, "authorization" | "proxy-authorization" | "cookie")
        || ["token", "secret", "key"].iter().any(|w| name.contains(w))
}

/// The last four characters of a credential, which is all a test needs to tell that the right
/// one arrived (the app shows the same of a stored key).
fn last4(value: &str) -> String {
    let n = value.chars().count();
    value.chars().skip(n.saturating_sub(4)).collect()
}

#[derive(Default)]
pub struct State {
    /// Accepted keys. Empty means the server checks no key at all (like a local Ollama).
    keys: Vec<String>,
    faults: Mutex<HashMap<String, Fault>>,
    requests: Mutex<Vec<RecordedRequest>>,
    next_id: AtomicU64,
}

/// One request as the server saw it, for tests to assert on (how many tries, what was sent).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RecordedRequest {
    /// "openai", "anthropic" or "gemini".
    pub format: String,
    pub path: String,
    pub model: String,
    pub stream: bool,
    /// Request headers without the ones that carry credentials.
    pub headers: BTreeMap<String, String>,
    /// The credential headers that were sent, by name (lowercase), with only the last four
    /// characters of each value.
    #[serde(default)]
    pub credentials: BTreeMap<String, String>,
    /// The names of the key headers the request carried (never their values), so a test can
    /// tell whether a key reached this server.
    #[serde(default)]
    pub key_headers: Vec<String>,
    pub body: Value,
    /// The images the body carried, in whichever format it spoke.
    #[serde(default)]
    pub images: Vec<crate::images::RecordedImage>,
    /// The names of the tools the body offered, in whichever format it spoke.
    #[serde(default)]
    pub tools: Vec<String>,
    /// The HTTP status sent; 0 until the request is answered.
    pub status: u16,
    /// How the exchange ended: "answered", "completed", "cut", "malformed", "stream_error",
    /// or "client_disconnected" when the client went away before the stream ended.
    pub outcome: String,
}

impl State {
    pub fn new(keys: Vec<String>) -> Self {
        Self {
            keys,
            ..Self::default()
        }
    }

    /// Whether `key` may call the API.
    pub fn accepts(&self, key: Option<&str>) -> bool {
        self.keys.is_empty() || key.is_some_and(|k| self.keys.iter().any(|ok| ok == k))
    }

    pub fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn set_fault(&self, fault: Fault) {
        let model = if fault.model.is_empty() {
            "*".to_string()
        } else {
            fault.model.clone()
        };
        self.faults.lock().unwrap().insert(model, fault);
    }

    pub fn clear_faults(&self) {
        self.faults.lock().unwrap().clear();
    }

    /// The fault that applies to `model`, without counting it against `times`: for what must
    /// happen before the key is checked (a redirect, echoed headers on a refused key).
    pub fn peek_fault(&self, model: &str) -> Fault {
        let faults = self.faults.lock().unwrap();
        faults
            .get(model)
            .or_else(|| faults.get("*"))
            .cloned()
            .unwrap_or_default()
    }

    /// The fault for this request, counting it against `times`.
    pub fn take_fault(&self, model: &str) -> Fault {
        let mut faults = self.faults.lock().unwrap();
        let key = if faults.contains_key(model) {
            model
        } else {
            "*"
        };
        let Some(fault) = faults.get_mut(key) else {
            return Fault::default();
        };
        let taken = fault.clone();
        if let Some(times) = fault.times.as_mut() {
            *times = times.saturating_sub(1);
            if *times == 0 {
                faults.remove(key);
            }
        }
        taken
    }

    /// Logs a request and returns its index for later updates.
    pub fn record(
        &self,
        format: &str,
        path: &str,
        model: &str,
        stream: bool,
        headers: &HeaderMap,
        body: Value,
    ) -> usize {
        let key_headers = SECRET_HEADERS
            .iter()
            .filter(|name| headers.contains_key(**name))
            .map(|name| name.to_string())
            .collect();
        let (mut credentials, mut plain) = (BTreeMap::new(), BTreeMap::new());
        for (name, value) in headers {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            if is_credential(name.as_str()) {
                credentials.insert(name.to_string(), last4(&value));
            } else {
                plain.insert(name.to_string(), value);
            }
        }
        let mut requests = self.requests.lock().unwrap();
        requests.push(RecordedRequest {
            format: format.into(),
            path: path.into(),
            model: model.into(),
            stream,
            headers: plain,
            credentials,
            key_headers,
            images: crate::images::of(format, &body).unwrap_or_default(),
            tools: crate::tools::offered(format, &body),
            body,
            status: 0,
            outcome: String::new(),
        });
        requests.len() - 1
    }

    pub fn set_status(&self, index: usize, status: u16) {
        self.requests.lock().unwrap()[index].status = status;
    }

    pub fn set_outcome(&self, index: usize, outcome: &str) {
        self.requests.lock().unwrap()[index].outcome = outcome.into();
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.requests.lock().unwrap().clone()
    }

    pub fn clear_requests(&self) {
        self.requests.lock().unwrap().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_with_times_expires_and_a_specific_model_wins_over_the_wildcard() {
        let state = State::new(vec![]);
        state.set_fault(Fault {
            model: "*".into(),
            status: Some(500),
            ..Fault::default()
        });
        state.set_fault(Fault {
            model: "m".into(),
            status: Some(429),
            times: Some(2),
            ..Fault::default()
        });
        assert_eq!(state.take_fault("m").status, Some(429));
        assert_eq!(state.take_fault("m").status, Some(429));
        assert_eq!(state.take_fault("m").status, Some(500));
        assert_eq!(state.take_fault("other").status, Some(500));
    }

    #[test]
    fn key_headers_are_never_recorded() {
        let state = State::new(vec!["k".into()]);
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer k".parse().unwrap());
        headers.insert("x-api-key", "k".parse().unwrap());
        headers.insert("x-extra", "v".parse().unwrap());
        headers.insert("x-team-token", "tok-abcd9876".parse().unwrap());
        state.record("openai", "/", "m", false, &headers, Value::Null);
        let recorded = &state.requests()[0];
        assert_eq!(recorded.headers.len(), 1);
        assert_eq!(recorded.headers["x-extra"], "v");
        assert_eq!(recorded.credentials["authorization"], "er k");
        assert_eq!(recorded.credentials["x-team-token"], "9876");
        assert!(!serde_json::to_string(recorded).unwrap().contains("abcd"));
        assert_eq!(
            state.requests()[0].key_headers,
            ["authorization", "x-api-key"]
        );
    }
}
