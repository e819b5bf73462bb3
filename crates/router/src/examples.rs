//! Few-shot prompts: solved examples, then the question. Tools and benchmarks often put a few
//! questions with their answers before the one they ask ("Q: … A: … The answer is 6.",
//! "… D. sodium\nAnswer: B"): the examples show the format, and the last question is what the
//! model has to answer, so it is what the router reads.

/// Examples needed before a prompt counts as few-shot.
const MIN_EXAMPLES: usize = 2;
/// The longest answer read as a bare answer line under an "Answer:" line ("B", "72").
const MAX_BARE_ANSWER: usize = 24;
/// How far from the end of an example's last line "the answer is" is looked for.
const MAX_ANSWER_TAIL: usize = 64;

/// Where the asked question of a few-shot prompt starts: the prompt is cut into blocks at
/// blank lines, and when at least two blocks before the last end with an answer and the last
/// does not, the last block is the question. `None` for any other prompt.
pub fn question_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut answered = 0usize;
    let mut block = 0usize;
    let mut at = 0usize;
    while let Some(n) = next_blank_line(bytes, at) {
        if ends_with_answer(&text[block..n]) {
            answered += 1;
        }
        // Past any further blank lines.
        let mut next = n + 2;
        while next < bytes.len() && matches!(bytes[next], b'\n' | b'\r') {
            next += 1;
        }
        block = next;
        at = next;
        if at >= bytes.len() {
            break;
        }
    }
    let last = &text[block.min(text.len())..];
    (answered >= MIN_EXAMPLES && !last.trim().is_empty() && !ends_with_answer(last))
        .then_some(block)
}

/// Where the next blank line begins (the line end before it), from `from` on: "\n\n", or
/// "\n\r\n" in a text with "\r\n" line ends.
fn next_blank_line(bytes: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'\n', &bytes[from..])
        .map(|n| from + n)
        .find(|&n| matches!(&bytes[n + 1..], [b'\n', ..] | [b'\r', b'\n', ..]))
}

/// Whether a block ends with its answer: a last line "Answer: B", "A: …", "#### 72", one
/// saying "the answer is …", or a short line under a line "Answer:".
fn ends_with_answer(block: &str) -> bool {
    let mut lines = block.lines().map(str::trim).filter(|l| !l.is_empty()).rev();
    let Some(last) = lines.next() else {
        return false;
    };
    let labelled = |l: &str, label: &str| {
        l.len() > label.len()
            && l.as_bytes()[..label.len()].eq_ignore_ascii_case(label.as_bytes())
            && !l[label.len()..].trim().is_empty()
    };
    if labelled(last, "answer:") || last.starts_with("A: ") || labelled(last, "####") {
        return true;
    }
    // "… so she has 12 left. The answer is 12.": the statement ends the line, so only its
    // end is searched (a bounded cost on any line).
    let tail = last.as_bytes();
    let tail = &tail[tail.len().saturating_sub(MAX_ANSWER_TAIL)..];
    if contains_ignore_case(tail, b"the answer is") {
        return true;
    }
    last.len() <= MAX_BARE_ANSWER
        && lines
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case("answer:") || l == "A:")
}

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_question_after_solved_examples() {
        let exam = "The following are questions about chemistry.\n\n\
            Which gas do plants take in?\nA. oxygen\nB. carbon dioxide\nAnswer: B\n\n\
            What is H2O?\nA. salt\nB. water\nAnswer:\nB\n\n\
            Which element has the symbol Na?\nA. sodium\nB. neon\nAnswer:";
        let start = question_start(exam).unwrap();
        assert!(
            exam[start..].starts_with("Which element"),
            "{}",
            &exam[start..]
        );

        let chain = "Q: Tom has 3 apples and buys 2. How many does he have?\nA: 3 + 2 = 5. The answer is 5.\n\n\
            Q: A box holds 4 pens. How many pens are in 3 boxes?\nA: 4 * 3 = 12. The answer is 12.\n\n\
            Q: Mia reads 12 pages a day. How many pages does she read in a week?\nA:";
        let start = question_start(chain).unwrap();
        assert!(chain[start..].starts_with("Q: Mia"));

        let crlf = "Q: 1+1?\r\nA: 2\r\n\r\nQ: 2+2?\r\nA: 4\r\n\r\nQ: 3+3?";
        assert_eq!(&crlf[question_start(crlf).unwrap()..], "Q: 3+3?");
    }

    #[test]
    fn other_prompts_are_read_whole() {
        // One example is not a few-shot prompt; nor are paragraphs without answers, nor a
        // last block that is itself answered.
        for text in [
            "Q: 1+1?\nA: 2\n\nQ: 2+2?",
            "Write a poem.\n\nIt should rhyme.\n\nAnd be short.",
            "Q: 1+1?\nA: 2\n\nQ: 2+2?\nA: 4\n\nQ: 3+3?\nA: 6",
            "",
            "\n\n\n\n",
        ] {
            assert_eq!(question_start(text), None, "{text:?}");
        }
    }
}
