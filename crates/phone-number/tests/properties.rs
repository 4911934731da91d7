//! Properties of phone number normalization, as an agent types or pastes numbers: separators never change the
//! digits, normalizing twice changes nothing, letters are always refused and quoted, and a number inside copied
//! text is found.

use agent_error::ErrorCode;
use phone_number::{extract_from_clipboard, normalize};
use proptest::prelude::*;

/// The separators the module documents: spaces, dashes, dots, slashes, brackets, no-break space and tab.
const SEPARATORS: &[char] = &[' ', '-', '.', '/', '(', ')', '[', ']', '\u{a0}', '\t'];
/// What `trim` takes off around a pasted number.
const BLANKS: &[char] = &[' ', '\t', '\u{a0}'];

fn separators(max: usize, allowed: &'static [char]) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(allowed), 0..=max)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Digits with separators between and around them, and whether it starts with `+`.
fn typed_number(
    digits: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = (String, String)> {
    (
        any::<bool>(),
        proptest::collection::vec(("[0-9]", separators(3, SEPARATORS)), digits),
    )
        .prop_map(|(plus, groups)| {
            let digits: String = groups.iter().map(|(d, _)| d.as_str()).collect();
            let typed: String = groups.iter().map(|(d, s)| format!("{d}{s}")).collect();
            let expected = if plus { format!("+{digits}") } else { digits };
            (if plus { format!("+{typed}") } else { typed }, expected)
        })
}

proptest! {
    #[test]
    fn any_mix_of_digits_and_separators_normalizes_to_the_digits(
        (typed, expected) in typed_number(3..=20),
        lead in separators(2, BLANKS),
    ) {
        let input = format!("{lead}{typed}");
        prop_assert_eq!(normalize(&input).unwrap().to_string(), expected);
    }

    #[test]
    fn too_few_or_too_many_digits_are_refused(
        (short, _) in typed_number(0..=2),
        (long, _) in typed_number(21..=30),
    ) {
        for input in [short, long] {
            prop_assert_eq!(normalize(&input).unwrap_err().code(), ErrorCode::InvalidNumber);
        }
    }

    #[test]
    fn normalizing_twice_changes_nothing(input in "[+0-9 ().\\-/a-z#]{0,24}|\\PC{0,24}") {
        if let Ok(once) = normalize(&input) {
            prop_assert_eq!(normalize(once.as_str()).unwrap(), once);
        }
    }

    #[test]
    fn letters_are_always_refused_and_quoted(
        (typed, _) in typed_number(0..=12),
        letters in proptest::collection::vec("\\p{L}", 1..5),
        spots in proptest::collection::vec(any::<prop::sample::Index>(), 4),
    ) {
        // Put the letters, in order, at places in the typed number after any leading '+'.
        let start = usize::from(typed.starts_with('+'));
        let body: Vec<char> = typed.chars().skip(start).collect();
        let mut cuts: Vec<usize> = spots.iter().take(letters.len()).map(|s| s.index(body.len() + 1)).collect();
        cuts.sort_unstable();
        let mut input: String = typed.chars().take(start).collect();
        let mut pending = letters.iter().zip(cuts).peekable();
        for i in 0..=body.len() {
            while let Some((letter, _)) = pending.next_if(|(_, cut)| *cut == i) {
                input.push_str(letter);
            }
            if let Some(c) = body.get(i) {
                input.push(*c);
            }
        }
        let err = normalize(&input).unwrap_err();
        prop_assert_eq!(err.code(), ErrorCode::InvalidNumber);
        let quoted = format!("'{}'", letters.concat());
        prop_assert!(err.to_string().contains(&quoted), "{} for {:?}", err, input);
    }

    #[test]
    fn a_number_in_copied_text_is_found(
        before in "[A-Za-zñáé ,:]{0,20}",
        (typed, expected) in typed_number(6..=20),
        after in "[A-Za-zñáé ,.:!]{0,20}",
    ) {
        // A tab ends a number in copied text (table cells), so the copied number has none.
        let typed = typed.replace('\t', " ");
        let text = format!("{before} {typed}\n{after}");
        let found = extract_from_clipboard(&text).map(|n| n.to_string());
        prop_assert_eq!(found, Some(expected), "{:?}", text);
    }
}
