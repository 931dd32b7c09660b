//! Hand-written JSON output: strings escaped, one object per line in an array.

/// A JSON value the tools print.
pub enum Value {
    Num(i64),
    Str(String),
    List(Vec<String>),
    /// `null`.
    Null,
    /// A value formatted already (a nested [`object`]).
    Raw(String),
}

/// `n` as a JSON number; `None` as `null`. Numbers above `i64::MAX` are capped.
pub fn num(n: Option<u64>) -> Value {
    match n {
        Some(n) => Value::Num(n.min(i64::MAX as u64) as i64),
        None => Value::Null,
    }
}

/// `text` as a JSON string literal, quoted and escaped.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object with `fields`, in order.
pub fn object(fields: &[(&str, Value)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(key, value)| {
            let value = match value {
                Value::Num(n) => n.to_string(),
                Value::Str(s) => string(s),
                Value::List(items) => {
                    let items: Vec<String> = items.iter().map(|s| string(s)).collect();
                    format!("[{}]", items.join(","))
                }
                Value::Null => "null".to_string(),
                Value::Raw(text) => text.clone(),
            };
            format!("{}:{value}", string(key))
        })
        .collect();
    format!("{{{}}}", body.join(","))
}

/// An array of already formatted values, one per line, with a final newline.
pub fn array(items: &[String]) -> String {
    if items.is_empty() {
        return "[]\n".to_string();
    }
    format!("[\n  {}\n]\n", items.join(",\n  "))
}

/// An object whose fields are arrays of already formatted values: one field per line,
/// one value per line, with a final newline.
pub fn object_of_arrays(fields: &[(&str, &[String])]) -> String {
    if fields.is_empty() {
        return "{}\n".to_string();
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(key, items)| {
            let items = if items.is_empty() {
                "[]".to_string()
            } else {
                format!("[\n    {}\n  ]", items.join(",\n    "))
            };
            format!("  {}: {items}", string(key))
        })
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("plain"), r#""plain""#);
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("l1\nl2\tx\r"), r#""l1\nl2\tx\r""#);
        assert_eq!(string("\u{1}\u{1f}\u{7f}"), r#""\u0001\u001f\u007f""#);
        assert_eq!(string("grüß 🙂"), "\"grüß 🙂\"");
        assert_eq!(string(""), r#""""#);
    }

    #[test]
    fn objects_keep_field_order_and_types() {
        let o = object(&[
            ("xid", Value::Num(2)),
            ("state", Value::Str("running".into())),
            (
                "flags",
                Value::List(vec!["persistent".into(), "prolific".into()]),
            ),
            ("none", Value::List(Vec::new())),
            ("neg", Value::Num(-1)),
        ]);
        assert_eq!(
            o,
            r#"{"xid":2,"state":"running","flags":["persistent","prolific"],"none":[],"neg":-1}"#
        );
    }

    #[test]
    fn nulls_and_nested_objects() {
        let inner = object(&[("a", num(Some(1))), ("b", num(None))]);
        assert_eq!(inner, r#"{"a":1,"b":null}"#);
        let o = object(&[("in", Value::Raw(inner)), ("n", Value::Null)]);
        assert_eq!(o, r#"{"in":{"a":1,"b":null},"n":null}"#);
        assert_eq!(object(&[]), "{}");
        assert_eq!(
            object(&[("big", num(Some(u64::MAX)))]),
            r#"{"big":9223372036854775807}"#
        );
    }

    #[test]
    fn objects_of_arrays_put_one_item_per_line() {
        assert_eq!(object_of_arrays(&[]), "{}\n");
        assert_eq!(
            object_of_arrays(&[("a", &["1".into(), "2".into()]), ("b", &[])]),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": []\n}\n"
        );
    }

    #[test]
    fn arrays_put_one_item_per_line() {
        assert_eq!(array(&[]), "[]\n");
        assert_eq!(array(&["{}".into()]), "[\n  {}\n]\n");
        assert_eq!(array(&["1".into(), "2".into()]), "[\n  1,\n  2\n]\n");
    }
}
