//! The executor's [`ReplySink`] for a send: each event becomes a [`ChatEvent`] on a channel, so
//! the send can save text to the database while the executor keeps reading the provider.
use std::collections::HashMap;

use tokio::sync::mpsc::UnboundedSender;

use super::ChatEvent;
use crate::execute::ReplySink;
use crate::reply::Hop;

pub struct ChannelSink {
    // Unbounded so that a slow reader never holds up the provider's connection; the events of
    // one reply are small and end with it.
    tx: UnboundedSender<ChatEvent>,
    /// Provider id → name: messages show the name.
    names: HashMap<String, String>,
}

impl ChannelSink {
    pub fn new(tx: UnboundedSender<ChatEvent>, names: HashMap<String, String>) -> Self {
        Self { tx, names }
    }
}

impl ReplySink for ChannelSink {
    fn started(&mut self, model: &str, provider: &str) {
        let provider = self
            .names
            .get(provider)
            .cloned()
            .unwrap_or_else(|| provider.to_string());
        let _ = self.tx.send(ChatEvent::Started {
            model: model.to_string(),
            provider,
        });
    }

    fn text(&mut self, delta: &str) {
        let _ = self.tx.send(ChatEvent::Text {
            delta: delta.to_string(),
        });
    }

    fn hop(&mut self, hop: &Hop) {
        let _ = self.tx.send(ChatEvent::Hop { hop: hop.clone() });
    }
}
