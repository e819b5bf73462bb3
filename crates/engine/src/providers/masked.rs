//! Keeps a call's secrets out of the answer itself: an upstream that echoes the request headers
//! into its text (or a tool call, or a finish reason) would otherwise put the key in the chat's
//! stored messages and in the local endpoint's replies. A key can be split across frames, so
//! text that could be the start of a secret is held back until the next piece shows what it
//! is; anything else passes at once.
use std::borrow::Cow;
use std::mem;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;

use super::{EventStream, FinishReason, ProviderError, StreamEvent};
use crate::redact::Redactor;

/// `events` with every secret of `redactor` masked in text, tool calls and finish reasons.
pub fn masked(events: EventStream, redactor: Redactor) -> EventStream {
    Box::pin(Masked {
        events,
        redactor,
        held: String::new(),
        next: None,
        done: false,
    })
}

struct Masked {
    events: EventStream,
    redactor: Redactor,
    /// Text that could be the start of a secret, not yet passed on.
    held: String,
    /// An event waiting behind the held text it made flush.
    next: Option<Result<StreamEvent, ProviderError>>,
    done: bool,
}

impl Masked {
    /// The held text and `text`, secrets masked, minus a new tail that could start a secret.
    fn text(&mut self, text: String) -> Option<String> {
        let joined = if self.held.is_empty() {
            text
        } else {
            mem::take(&mut self.held) + &text
        };
        let mut clean = match self.redactor.redact_cow(&joined) {
            Cow::Borrowed(_) => joined,
            Cow::Owned(clean) => clean,
        };
        self.held = clean.split_off(self.redactor.unsafe_tail(&clean));
        (!clean.is_empty()).then_some(clean)
    }

    /// The held text, passed on before whatever ends the text.
    fn flush(&mut self) -> Option<String> {
        let held = mem::take(&mut self.held);
        (!held.is_empty()).then(|| self.redactor.cut_secret(&held))
    }

    fn clean(&self, event: StreamEvent) -> StreamEvent {
        let r = &self.redactor;
        match event {
            StreamEvent::ToolCall(mut call) => {
                call.id = r.redact(&call.id);
                call.name = r.redact(&call.name);
                call.arguments = r.redact(&call.arguments);
                StreamEvent::ToolCall(call)
            }
            StreamEvent::Finish(FinishReason::Other(reason)) => {
                StreamEvent::Finish(FinishReason::Other(r.redact(&reason)))
            }
            other => other,
        }
    }
}

impl Stream for Masked {
    type Item = Result<StreamEvent, ProviderError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(next) = this.next.take() {
            return Poll::Ready(Some(next));
        }
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let item = match this.events.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(item) => item,
            };
            let item = match item {
                Some(Ok(StreamEvent::Text(text))) => match this.text(text) {
                    Some(text) => return Poll::Ready(Some(Ok(StreamEvent::Text(text)))),
                    None => continue,
                },
                // Token counts come between pieces of text (Gemini reports them in every
                // frame), so they pass without ending the text.
                Some(Ok(usage @ StreamEvent::Usage(_))) => return Poll::Ready(Some(Ok(usage))),
                Some(Ok(event)) => Some(Ok(this.clean(event))),
                Some(Err(e)) => Some(Err(e)),
                None => {
                    this.done = true;
                    None
                }
            };
            return Poll::Ready(match this.flush() {
                Some(held) => {
                    this.next = item;
                    Some(Ok(StreamEvent::Text(held)))
                }
                None => item,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use reqwest::header::HeaderMap;
    use switchyard_router::ToolCall;

    use super::*;
    use crate::secrets::Secret;

    const KEY: &str = "sk-live-0123456789abcdef";

    fn redactor() -> Redactor {
        Redactor::new(Some(&Secret::new(KEY).unwrap()), &HeaderMap::new())
    }

    fn texts(pieces: &[&str]) -> Vec<Result<StreamEvent, ProviderError>> {
        pieces
            .iter()
            .map(|p| Ok(StreamEvent::Text(p.to_string())))
            .collect()
    }

    async fn run(items: Vec<Result<StreamEvent, ProviderError>>) -> Vec<StreamEvent> {
        let events: EventStream = Box::pin(futures_util::stream::iter(items));
        masked(events, redactor())
            .map(|item| item.unwrap())
            .collect()
            .await
    }

    fn joined(events: &[StreamEvent]) -> String {
        events.iter().filter_map(StreamEvent::text).collect()
    }

    #[tokio::test]
    async fn a_key_split_across_pieces_is_masked_and_the_rest_kept() {
        // Every way of cutting the text into two and into pieces of 1..=7 bytes.
        let text = format!("your header was Bearer {KEY}, thanks; sk-not-it s");
        let want = "your header was Bearer ••••cdef, thanks; sk-not-it s";
        for cut in 0..=text.len() {
            let (a, b) = text.split_at(cut);
            assert_eq!(joined(&run(texts(&[a, b])).await), want, "cut at {cut}");
        }
        for size in 1..=7 {
            let pieces: Vec<String> = text
                .as_bytes()
                .chunks(size)
                .map(|c| String::from_utf8(c.to_vec()).unwrap())
                .collect();
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let events = run(texts(&refs)).await;
            assert_eq!(joined(&events), want, "pieces of {size}");
            assert!(events.iter().all(|e| !format!("{e:?}").contains("0123456")));
        }
    }

    #[tokio::test]
    async fn ordinary_text_passes_piece_for_piece() {
        let events = run(texts(&["Hello ", "world, ", "this is fine."])).await;
        assert_eq!(
            events,
            vec![
                StreamEvent::Text("Hello ".into()),
                StreamEvent::Text("world, ".into()),
                StreamEvent::Text("this is fine.".into()),
            ]
        );
    }

    #[tokio::test]
    async fn held_text_comes_before_what_ends_the_text() {
        let mut items = texts(&["Answer: s"]);
        items.push(Ok(StreamEvent::Usage(Default::default())));
        items.push(Ok(StreamEvent::Text("k-live-01".into())));
        items.push(Ok(StreamEvent::Finish(FinishReason::Stop)));
        let events = run(items).await;
        assert_eq!(
            events,
            vec![
                StreamEvent::Text("Answer: ".into()),
                StreamEvent::Usage(Default::default()),
                // Nine characters of the key's start, and the stream ended there: masked.
                StreamEvent::Text("••••".into()),
                StreamEvent::Finish(FinishReason::Stop),
            ]
        );
        let events = run(texts(&["Answer: sk-"])).await;
        assert_eq!(joined(&events), "Answer: sk-");
    }

    #[tokio::test]
    async fn tool_calls_and_finish_reasons_are_masked() {
        let items = vec![
            Ok(StreamEvent::ToolCall(ToolCall {
                id: format!("call_{KEY}"),
                name: "lookup".into(),
                arguments: format!(r#"{{"q":"{KEY}"}}"#),
                signature: None,
            })),
            Ok(StreamEvent::Finish(FinishReason::Other(format!(
                "echo {KEY}"
            )))),
        ];
        let events = run(items).await;
        let shown = format!("{events:?}");
        assert!(!shown.contains("0123456789"), "{shown}");
        assert!(shown.contains(r#"{\"q\":\"••••cdef\"}"#), "{shown}");
    }
}
