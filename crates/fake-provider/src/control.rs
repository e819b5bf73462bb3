//! `/_control/…`: how a test or a script sets faults and reads what the server saw.
use std::sync::Arc;

use axum::extract::State as Shared;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::fault::Fault;
use crate::state::State;

/// `POST /_control/faults` with one fault object or an array of them; each replaces the fault
/// already set for its model.
pub async fn set_faults(Shared(state): Shared<Arc<State>>, Json(body): Json<Value>) -> Response {
    let items = match body {
        Value::Array(items) => items,
        one => vec![one],
    };
    let mut faults = Vec::with_capacity(items.len());
    for item in items {
        match serde_json::from_value::<Fault>(item) {
            Ok(f) => faults.push(f),
            Err(e) => {
                return (
                    StatusCode::BAD_REQUEST,
                    Json(json!({"error": e.to_string()})),
                )
                    .into_response()
            }
        }
    }
    let count = faults.len();
    for f in faults {
        state.set_fault(f);
    }
    Json(json!({"set": count})).into_response()
}

pub async fn clear_faults(Shared(state): Shared<Arc<State>>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

pub async fn requests(Shared(state): Shared<Arc<State>>) -> Response {
    Json(state.requests()).into_response()
}

pub async fn clear_requests(Shared(state): Shared<Arc<State>>) -> StatusCode {
    state.clear_requests();
    StatusCode::NO_CONTENT
}
