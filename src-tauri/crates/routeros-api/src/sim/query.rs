//! The `print` query stack (`?name=x`, `?-name`, `?<`, `?>`, `?#|&!.` and indices).

use std::cmp::Ordering;

use crate::parse::parse_duration;

/// Evaluates query words (without their leading `?`) against one item.
///
/// The stack starts as infinitely many `true`s; the item passes if no `false` remains.
pub(crate) fn matches<'a>(queries: &[Vec<u8>], get: impl Fn(&[u8]) -> Option<&'a [u8]>) -> bool {
    let mut stack: Vec<bool> = Vec::new();
    for q in queries {
        match q.first() {
            Some(b'#') => run_ops(&q[1..], &mut stack),
            Some(b'-') => stack.push(get(&q[1..]).is_none()),
            Some(b'<') | Some(b'>') => {
                let (key, value) = split(&q[1..]);
                let want = if q[0] == b'<' {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                stack.push(get(key).is_some_and(|v| compare(v, value) == want));
            }
            Some(b'=') => {
                let (key, value) = split(&q[1..]);
                stack.push(get(key).is_some_and(|v| v == value));
            }
            _ => match q.iter().position(|&b| b == b'=') {
                Some(_) => {
                    let (key, value) = split(q);
                    stack.push(get(key).is_some_and(|v| v == value));
                }
                None => stack.push(get(q).is_some()),
            },
        }
    }
    stack.iter().all(|&b| b)
}

fn split(rest: &[u8]) -> (&[u8], &[u8]) {
    crate::proto::split_attribute(rest)
}

fn run_ops(ops: &[u8], stack: &mut Vec<bool>) {
    let top = |s: &Vec<bool>, i: usize| -> bool { s.len().checked_sub(1 + i).is_none_or(|k| s[k]) };
    let mut i = 0;
    let mut after_index = false;
    while i < ops.len() {
        let c = ops[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < ops.len() && ops[i].is_ascii_digit() {
                i += 1;
            }
            let idx: usize = std::str::from_utf8(&ops[start..i])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(usize::MAX);
            let v = top(stack, idx);
            if i == ops.len() {
                stack.clear();
                stack.push(v);
                return;
            }
            stack.push(v);
            after_index = true;
            continue;
        }
        match c {
            b'!' => {
                let v = stack.pop().unwrap_or(true);
                stack.push(!v);
            }
            b'&' | b'|' => {
                let a = stack.pop().unwrap_or(true);
                let b = stack.pop().unwrap_or(true);
                stack.push(if c == b'&' { a && b } else { a || b });
            }
            b'.' if !after_index => {
                let v = top(stack, 0);
                stack.push(v);
            }
            _ => {}
        }
        after_index = false;
        i += 1;
    }
}

/// Numbers compare as numbers, durations as durations, everything else bytewise.
fn compare(a: &[u8], b: &[u8]) -> Ordering {
    let (Ok(sa), Ok(sb)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return a.cmp(b);
    };
    if let (Ok(x), Ok(y)) = (sa.parse::<i128>(), sb.parse::<i128>()) {
        return x.cmp(&y);
    }
    if let (Ok(x), Ok(y)) = (parse_duration(sa), parse_duration(sb)) {
        return x.cmp(&y);
    }
    a.cmp(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&[u8]) -> Option<&'a [u8]> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| n.as_bytes() == k)
                .map(|(_, v)| v.as_bytes())
        }
    }

    fn q(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn documented_examples_evaluate_as_the_doc_says() {
        let ether = [("type", "ether"), ("comment", "x")];
        let vlan = [("type", "vlan")];
        let bridge = [("type", "bridge"), ("comment", "")];
        let or = q(&["type=ether", "type=vlan", "#|"]);
        assert!(matches(&or, item(&ether)));
        assert!(matches(&or, item(&vlan)));
        assert!(!matches(&or, item(&bridge)));
        let nonempty_comment = q(&[">comment="]);
        assert!(matches(&nonempty_comment, item(&ether)));
        assert!(!matches(&nonempty_comment, item(&bridge)));
        assert!(!matches(&nonempty_comment, item(&vlan)));
        let route = [("distance", "2"), ("gateway", "172.16.1.1")];
        let other = [("distance", "1"), ("gateway", "172.16.1.1")];
        let not_both = q(&[">distance=1", "gateway=172.16.1.1", "#&!"]);
        assert!(!matches(&not_both, item(&route)));
        assert!(matches(&not_both, item(&other)));
    }

    #[test]
    fn presence_absence_equality_and_comparisons() {
        let user = [("name", "u1"), ("uptime", "1h"), ("bytes-in", "900")];
        assert!(matches(&q(&["name"]), item(&user)));
        assert!(matches(&q(&["-comment"]), item(&user)));
        assert!(matches(&q(&["=name=u1"]), item(&user)));
        assert!(!matches(&q(&["=name=u2"]), item(&user)));
        assert!(matches(&q(&[">uptime=30m", "<bytes-in=1000"]), item(&user)));
        assert!(!matches(&q(&[">bytes-in=1000"]), item(&user)));
        assert!(matches(&q(&["=name=u2", "#!"]), item(&user)));
        // An index at the end replaces the stack: keep only the bottom "name=u1" result.
        assert!(matches(&q(&["=name=u1", "=name=zz", "#1"]), item(&user)));
        assert!(!matches(&q(&["=name=zz", "=name=u1", "#1"]), item(&user)));
    }
}
