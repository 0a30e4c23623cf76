//! A calendar date in front matter, written `YYYY-MM-DD`.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The one written form of a date: four digits, two, two. chrono alone would also take
/// `2022-5-3` and read `22-05-03` as the year 22, which no editor means.
const FORM: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// A real calendar date: `2021-02-30` is rejected when the file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
        let digit_at = |i: usize| text.as_bytes()[i].is_ascii_digit();
        let written_as_form = text.len() == 10
            && text.as_bytes()[4] == b'-'
            && text.as_bytes()[7] == b'-'
            && [0, 1, 2, 3, 5, 6, 8, 9].into_iter().all(digit_at);
        if !written_as_form {
            return Err(format!(
                "`{text}` is not a date in the form YYYY-MM-DD, e.g. 2022-05-23"
            ));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Date)
            .map_err(|e| format!("`{text}` is not a real date in the form YYYY-MM-DD ({e})"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// In a JSON Schema (`chorus schema`), the form [`Date::parse`] accepts: the pattern, and
/// `format: date` for validators that check the day is real.
impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": FORM,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn only_the_written_form_of_a_real_date_is_a_date() {
        assert_eq!(
            Date::parse("2022-05-03").map(|d| d.to_string()),
            Ok("2022-05-03".to_string())
        );
        for text in [
            "2022-5-3",
            "22-05-03",
            " 2022-05-03",
            "+2022-05-03",
            "2022-05-03 ",
            "2022/05/03",
            "２０２２-05-03",
            "2021-02-30",
            "",
        ] {
            assert!(Date::parse(text).is_err(), "{text:?}");
        }
    }
}
