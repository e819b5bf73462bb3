//! How money reads in the engine's messages (budgets): the same rule as the UI's `usd` in
//! `ui/src/lib/format.ts`. From $1 up, cents with thousands separators ($1,234.50); below $1, two
//! significant digits and at least two decimals ($0.50, $0.047, $0.0047, $0.001), so a sub-cent
//! amount never reads as $0.00; zero is $0.00. Rounded half up in whole nano-dollars.

/// `nusd` nano-dollars as text, e.g. `$0.0047`.
pub fn usd(nusd: i64) -> String {
    let sign = if nusd < 0 { "-" } else { "" };
    let nano = nusd.unsigned_abs();
    let decimals: u32 = if nano >= 1_000_000_000 || nano == 0 {
        2
    } else {
        (11 - nano.to_string().len() as u32).clamp(2, 9)
    };
    let unit = 10u64.pow(9 - decimals);
    let rounded = (nano + unit / 2) / unit;
    let scale = 10u64.pow(decimals);
    let mut fraction = format!("{:0width$}", rounded % scale, width = decimals as usize);
    while fraction.len() > 2 && fraction.ends_with('0') {
        fraction.pop();
    }
    format!("{sign}${}.{fraction}", thousands(rounded / scale))
}

/// 1234567 → "1,234,567".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::usd;

    const DOLLAR: i64 = 1_000_000_000;

    #[test]
    fn cents_from_a_dollar_up_with_separators() {
        assert_eq!(usd(DOLLAR), "$1.00");
        assert_eq!(usd(12_345_000_000), "$12.35");
        assert_eq!(usd(1_234_500_000_000), "$1,234.50");
        assert_eq!(usd(1_234_567_891_000_000), "$1,234,567.89");
    }

    #[test]
    fn two_significant_digits_below_a_dollar() {
        assert_eq!(usd(500_000_000), "$0.50");
        assert_eq!(usd(47_200_000), "$0.047");
        assert_eq!(usd(4_720_000), "$0.0047");
        // The budget message that once read $0.001000.
        assert_eq!(usd(1_000_000), "$0.001");
        assert_eq!(usd(123), "$0.00000012");
        assert_eq!(usd(5), "$0.000000005");
        assert_eq!(usd(999_000_000), "$1.00");
        assert_eq!(usd(9_990_000), "$0.01");
        assert_eq!(usd(125_000_000), "$0.13");
    }

    #[test]
    fn zero_and_negatives() {
        assert_eq!(usd(0), "$0.00");
        assert_eq!(usd(-47_200_000), "-$0.047");
        assert_eq!(usd(-2_500_000_000), "-$2.50");
        assert_eq!(usd(i64::MIN).chars().next(), Some('-'));
    }
}
