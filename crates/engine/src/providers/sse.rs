//! Turns an SSE response body into [`StreamEvent`]s through one adapter's decoder.
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use eventsource_stream::{Event, EventStreamError, Eventsource};
use futures_util::Stream;

use super::error::ProviderError;
use super::event::StreamEvent;
use super::limits::{size, BodyError, Limits, LineBounded};

/// One adapter's reading of its provider's events.
pub trait Decoder: Send + Unpin + 'static {
    /// Pushes what `event` says onto `out`; returns true when the provider says the reply is over.
    fn decode(
        &mut self,
        event: &Event,
        out: &mut VecDeque<StreamEvent>,
    ) -> Result<bool, ProviderError>;

    /// Bytes of tool calls being put together from their pieces, not yet passed on: a
    /// stream that never closes a call must not grow it without end.
    fn held_bytes(&self) -> usize {
        0
    }
}

/// What one tool call being put together holds, with a little for its own bookkeeping (so
/// that a million empty calls count too).
pub fn held_by(call: &switchyard_router::ToolCall) -> usize {
    call.id.len() + call.name.len() + call.arguments.len() + 64
}

/// Yields events as each SSE frame arrives: nothing is buffered beyond the frame being parsed,
/// and no frame may pass the line limit.
pub struct SseStream<D> {
    frames: eventsource_stream::EventStream<LineBounded>,
    decoder: D,
    pending: VecDeque<StreamEvent>,
    saw_finish: bool,
    over: bool,
    /// The most the decoder may hold of tool calls not yet closed (the reply size limit).
    max_held_bytes: usize,
}

impl<D: Decoder> SseStream<D> {
    pub fn new(response: reqwest::Response, decoder: D, limits: &Limits) -> Self {
        let body = LineBounded::new(Box::pin(response.bytes_stream()), limits.max_line_bytes);
        Self {
            frames: body.eventsource(),
            decoder,
            pending: VecDeque::new(),
            saw_finish: false,
            over: false,
            max_held_bytes: limits.max_reply_bytes,
        }
    }
}

impl<D: Decoder> Stream for SseStream<D> {
    type Item = Result<StreamEvent, ProviderError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = this.pending.pop_front() {
                this.saw_finish |= matches!(event, StreamEvent::Finish(_));
                return Poll::Ready(Some(Ok(event)));
            }
            if this.over {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.frames).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(frame))) => {
                    match this.decoder.decode(&frame, &mut this.pending) {
                        Ok(_) if this.decoder.held_bytes() > this.max_held_bytes => {
                            this.over = true;
                            return Poll::Ready(Some(Err(ProviderError::Refused {
                                code: crate::error::ErrorCode::ReplyTooLarge,
                                message: format!(
                                    "a tool call passed the reply size limit ({}) before it ended; the stream was closed",
                                    size(this.max_held_bytes)
                                ),
                            })));
                        }
                        Ok(done) => this.over = done,
                        Err(e) => {
                            this.over = true;
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.over = true;
                    let error = match e {
                        EventStreamError::Transport(BodyError::Transport(t)) => {
                            ProviderError::from_reqwest(&t)
                        }
                        EventStreamError::Transport(BodyError::LineTooLong(max)) => {
                            ProviderError::Refused {
                                code: crate::error::ErrorCode::LineTooLong,
                                message: format!(
                                    "the provider sent a stream line longer than the line limit ({}); the stream was closed",
                                    size(max)
                                ),
                            }
                        }
                        EventStreamError::Utf8(u) => ProviderError::Malformed(u.to_string()),
                        EventStreamError::Parser(p) => ProviderError::Malformed(p.to_string()),
                    };
                    return Poll::Ready(Some(Err(error)));
                }
                // A body that ends after the finish reason is a normal end (Gemini has no other
                // end marker); one that ends before it was cut off.
                Poll::Ready(None) => {
                    this.over = true;
                    if !this.saw_finish {
                        return Poll::Ready(Some(Err(ProviderError::Truncated)));
                    }
                }
            }
        }
    }
}

/// Parses one frame's JSON, naming the frame in the error. The whole frame goes into the
/// message (it is bounded by the line limit): secrets are masked before it is cut short, so
/// the cut can never leave part of a key.
pub fn parse<T: serde::de::DeserializeOwned>(event: &Event) -> Result<T, ProviderError> {
    serde_json::from_str(&event.data)
        .map_err(|e| ProviderError::Malformed(format!("{e} in frame {:?}", event.data)))
}
