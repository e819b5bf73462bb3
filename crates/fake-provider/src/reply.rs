//! The deterministic reply: an echo of the last user message, one token per word.
use crate::fault::Fault;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    Stop,
    Length,
}

#[derive(Debug, Clone)]
pub struct Reply {
    /// The text in the pieces it is streamed in; joined, they are the whole reply.
    pub chunks: Vec<String>,
    pub finish: Finish,
    pub usage: Option<Usage>,
    /// A call of a tool instead of text (the reply then has no chunks).
    pub tool_call: Option<crate::tools::FakeCall>,
}

#[derive(Debug, Clone, Copy)]
pub struct Usage {
    pub input: u64,
    pub output: u64,
    pub cached: u64,
    pub reasoning: u64,
}

impl Reply {
    /// `texts` is every text the model was given (system included); `last_user` the last user turn.
    pub fn build(
        texts: &[String],
        last_user: &str,
        max_tokens: Option<u64>,
        fault: &Fault,
    ) -> Self {
        let text = fault
            .reply
            .clone()
            .unwrap_or_else(|| format!("Echo: {last_user}"));
        let mut chunks = split_words(&text);
        let mut finish = Finish::Stop;
        if let Some(max) = max_tokens {
            if chunks.len() as u64 > max {
                chunks.truncate(max as usize);
                finish = Finish::Length;
            }
        }
        let input = texts
            .iter()
            .map(|t| t.split_whitespace().count() as u64)
            .sum::<u64>()
            .max(1);
        let output = chunks.len() as u64 + fault.reasoning_tokens;
        let (input, output) = fault.usage_tokens.map_or((input, output), |n| (n, n));
        let usage = (!fault.no_usage).then(|| Usage {
            input,
            output,
            cached: fault.cached_tokens.min(input),
            reasoning: fault.reasoning_tokens.min(output),
        });
        Self {
            chunks,
            finish,
            usage,
            tool_call: None,
        }
    }

    /// The tool rule (see [`crate::tools`]): a call instead of the text, or the text quoting
    /// the tool results the request ends with.
    pub fn with_tools(mut self, call: &crate::exchange::Call, fault: &Fault) -> Self {
        if let Some(results) = call
            .tool_results
            .as_deref()
            .filter(|_| fault.reply.is_none())
        {
            self.chunks = split_words(&format!("Tool result: {results}"));
            if let Some(u) = &mut self.usage {
                u.output = self.chunks.len() as u64 + fault.reasoning_tokens;
            }
            return self;
        }
        let made = crate::tools::call_for(
            &call.tools,
            call.tool_results.as_deref(),
            &call.last_user,
            fault.tool_call.as_ref(),
        );
        if let Some(c) = made {
            let words = c.arguments.to_string().split_whitespace().count() as u64;
            if let Some(u) = &mut self.usage {
                if fault.usage_tokens.is_none() {
                    u.output = words.max(1) + fault.reasoning_tokens;
                }
            }
            self.chunks.clear();
            self.finish = Finish::Stop;
            self.tool_call = Some(c);
        }
        self
    }

    /// One piece of filler text (about 1 KiB of words), for replies sent as that piece over
    /// and over (`huge_reply_bytes`, `endless_stream`).
    pub fn piece(fault: &Fault) -> Self {
        Self {
            chunks: vec!["lorem ipsum dolor sit amet ".repeat(38)],
            finish: Finish::Stop,
            usage: (!fault.no_usage).then_some(Usage {
                input: fault.usage_tokens.unwrap_or(1),
                output: fault.usage_tokens.unwrap_or(1),
                cached: 0,
                reasoning: 0,
            }),
            tool_call: None,
        }
    }

    pub fn text(&self) -> String {
        self.chunks.concat()
    }
}

/// Splits after each space so that the pieces concatenate back to the exact text.
fn split_words(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_and_counts_one_token_per_word() {
        let r = Reply::build(
            &["be brief".into(), "hi there".into()],
            "hi there",
            None,
            &Fault::default(),
        );
        assert_eq!(r.text(), "Echo: hi there");
        assert_eq!(r.chunks, ["Echo: ", "hi ", "there"]);
        let u = r.usage.unwrap();
        assert_eq!((u.input, u.output), (4, 3));
        assert_eq!(r.finish, Finish::Stop);
    }

    #[test]
    fn usage_tokens_replaces_both_counts() {
        let fault = Fault {
            usage_tokens: Some(u64::MAX),
            ..Fault::default()
        };
        let u = Reply::build(&["q".into()], "q", None, &fault)
            .usage
            .unwrap();
        assert_eq!((u.input, u.output), (u64::MAX, u64::MAX));
    }

    #[test]
    fn max_tokens_truncates_and_reports_length() {
        let r = Reply::build(&["a b c d".into()], "a b c d", Some(2), &Fault::default());
        assert_eq!(r.text(), "Echo: a ");
        assert_eq!(r.finish, Finish::Length);
    }

    #[test]
    fn a_fault_can_replace_the_text_and_drop_usage() {
        let fault = Fault {
            reply: Some("<b>x</b>\n y".into()),
            no_usage: true,
            ..Fault::default()
        };
        let r = Reply::build(&["q".into()], "q", None, &fault);
        assert_eq!(r.text(), "<b>x</b>\n y");
        assert!(r.usage.is_none());
    }
}
