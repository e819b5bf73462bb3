//! Bounds on what a provider may send: a line of an SSE stream, an error body, a whole
//! non-streamed reply. A hostile or broken upstream then costs a clear error, never unbounded
//! memory or a task that stops yielding.
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;

/// The byte limits of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest SSE line (an event's `data:` line) accepted.
    pub max_line_bytes: usize,
    /// How much of an error body is read; the rest is never read.
    pub max_error_body_bytes: usize,
    /// Largest whole (non-streamed) reply body read.
    pub max_reply_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // Real frames are a few hundred bytes; 1 MiB leaves room for any honest one.
            max_line_bytes: 1 << 20,
            // Enough for any real error message, and for a proxy's HTML error page.
            max_error_body_bytes: 64 << 10,
            // About a million tokens of text, past any model's output limit.
            max_reply_bytes: 4 << 20,
        }
    }
}

/// A byte count as people read it: `512 B`, `64 KiB`, `1.5 MiB`.
pub fn size(bytes: usize) -> String {
    const UNITS: [&str; 3] = ["KiB", "MiB", "GiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    format!("{} {}", text.trim_end_matches(".0"), UNITS[unit])
}

/// Reads at most `cap` bytes of a body, chunk by chunk; says whether more was left unread.
pub async fn read_capped(mut response: reqwest::Response, cap: usize) -> (Vec<u8>, bool) {
    let mut body = Vec::new();
    // A transport error part-way leaves what arrived; an error body is read for its message.
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = cap - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return (body, true);
        }
        body.extend_from_slice(&chunk);
    }
    (body, false)
}

/// Why a bounded body ended early.
#[derive(Debug)]
pub enum BodyError {
    Transport(reqwest::Error),
    /// A line grew past this many bytes without ending.
    LineTooLong(usize),
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Transport(e) => e.fmt(f),
            Self::LineTooLong(max) => write!(f, "a line longer than {}", size(*max)),
        }
    }
}

type Body = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// Chunks in a row a body may deliver without the task yielding: an upstream sending as fast
/// as the socket allows must still let the timeouts around the stream run.
const YIELD_EVERY: u32 = 16;

/// A response body that ends with [`BodyError::LineTooLong`] when a line passes the limit,
/// before the SSE parser buffers (and re-scans) it, and that yields to the runtime now and then
/// while chunks keep coming.
pub struct LineBounded {
    body: Body,
    max: usize,
    /// Bytes since the last line break.
    open_line: usize,
    ready_in_row: u32,
    over: bool,
}

impl LineBounded {
    pub fn new(body: Body, max_line_bytes: usize) -> Self {
        Self {
            body,
            max: max_line_bytes,
            open_line: 0,
            ready_in_row: 0,
            over: false,
        }
    }

    /// Counts the lines of `chunk`; false when one is too long.
    fn fits(&mut self, chunk: &[u8]) -> bool {
        let mut pieces = chunk.split(|b| *b == b'\n' || *b == b'\r');
        // The first piece continues the open line; each later one starts a new line.
        let first = pieces.next().map_or(0, <[u8]>::len);
        self.open_line += first;
        if self.open_line > self.max {
            return false;
        }
        for piece in pieces {
            self.open_line = piece.len();
            if self.open_line > self.max {
                return false;
            }
        }
        true
    }
}

impl Stream for LineBounded {
    type Item = Result<Bytes, BodyError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.over {
            return Poll::Ready(None);
        }
        if this.ready_in_row >= YIELD_EVERY {
            this.ready_in_row = 0;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        match this.body.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.ready_in_row += 1;
                if this.fits(&chunk) {
                    Poll::Ready(Some(Ok(chunk)))
                } else {
                    this.over = true;
                    Poll::Ready(Some(Err(BodyError::LineTooLong(this.max))))
                }
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(BodyError::Transport(e)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                this.ready_in_row = 0;
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn bounded(chunks: &[&'static str], max: usize) -> LineBounded {
        let items: Vec<Result<Bytes, reqwest::Error>> = chunks
            .iter()
            .map(|c| Ok(Bytes::from_static(c.as_bytes())))
            .collect();
        LineBounded::new(Box::pin(futures_util::stream::iter(items)), max)
    }

    #[tokio::test]
    async fn a_line_is_counted_across_chunks_and_line_breaks_reset_it() {
        let ok: Vec<_> = bounded(&["data: 12", "34\n\ndata: 12345\r\n"], 11)
            .collect()
            .await;
        assert!(ok.iter().all(Result::is_ok));
        let items: Vec<_> = bounded(&["data: 12", "34567\n"], 11).collect().await;
        assert!(matches!(items[1], Err(BodyError::LineTooLong(11))));
        assert_eq!(items.len(), 2, "the body ends at the error");
        let items: Vec<_> = bounded(&["a\nbbbbbbbbbbbbbbbb\nc"], 11).collect().await;
        assert!(items[0].is_err(), "a long line inside one chunk");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(300), "300 B");
        assert_eq!(size(64 << 10), "64 KiB");
        assert_eq!(size(1 << 20), "1 MiB");
        assert_eq!(size(3 << 19), "1.5 MiB");
    }
}
