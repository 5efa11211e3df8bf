//! Dates as editions have them: a year, a month, or a day.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An ISO 8601 calendar date of which the month and day may be unknown
/// (`1956`, `1956-09`, `1956-09-16`). Orders chronologically, a partial date before the
/// full dates it contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// Why a string is not a date, worded for an editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let bad = || {
            DateError(format!(
                "`{s}` is not a date: write YYYY-MM-DD, YYYY-MM or YYYY (e.g. 1956-09-16)"
            ))
        };
        let mut parts = s.trim().split('-');
        let year_part = parts.next().ok_or_else(bad)?;
        if year_part.len() != 4 || !year_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year_part.parse().map_err(|_| bad())?;
        let number = |digits: Option<&str>| -> Result<Option<u8>, DateError> {
            match digits {
                None => Ok(None),
                Some(d) if d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(d.parse().map_err(|_| bad())?))
                }
                Some(_) => Err(bad()),
            }
        };
        let month = number(parts.next())?;
        let day = number(parts.next())?;
        if parts.next().is_some() {
            return Err(bad());
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError(format!("`{s}`: there is no month {m}")));
            }
            if let Some(d) = day {
                let last = days_in_month(year, m);
                if d == 0 || d > last {
                    return Err(DateError(format!(
                        "`{s}`: {} {year} has {last} days",
                        MONTHS[m as usize - 1]
                    )));
                }
            }
        }
        Ok(Self { year, month, day })
    }

    /// "16 September 1956", "September 1956" or "1956".
    pub fn human(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[m as usize - 1], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[m as usize - 1], self.year),
            _ => self.year.to_string(),
        }
    }

    /// "September 16, 1956": the form Chicago-style citations use.
    pub fn american(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{} {d}, {}", MONTHS[m as usize - 1], self.year),
            _ => self.human(),
        }
    }
}

impl PartialDate {
    /// Days since 1970-01-01 of the first day the date covers.
    pub fn first_day(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Days since 1970-01-01 of the last day the date covers.
    pub fn last_day(&self) -> i64 {
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.first_day(),
            (Some(12), None) | (None, _) => days_from_civil(self.year + 1, 1, 1) - 1,
            (Some(m), None) => days_from_civil(self.year, m + 1, 1) - 1,
        }
    }

    /// The day `days` after 1970-01-01.
    pub fn from_day(days: i64) -> Self {
        // Howard Hinnant's civil-from-days (proleptic Gregorian).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        }
    }
}

/// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 1956-09-16, 1956-09 or 1956")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
            // YAML reads a bare year as a number.
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_partial_dates() {
        let d = PartialDate::parse("1956-09-16").unwrap();
        assert_eq!((d.year, d.month, d.day), (1956, Some(9), Some(16)));
        assert_eq!(d.to_string(), "1956-09-16");
        assert_eq!(d.human(), "16 September 1956");
        assert_eq!(d.american(), "September 16, 1956");
        assert_eq!(
            PartialDate::parse("1956-09").unwrap().human(),
            "September 1956"
        );
        assert_eq!(PartialDate::parse("1956").unwrap().to_string(), "1956");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(PartialDate::parse("1956-02-30").is_err());
        assert!(PartialDate::parse("1957-02-29").is_err());
        assert!(PartialDate::parse("1956-02-29").is_ok());
        assert!(PartialDate::parse("1956-13").is_err());
        assert!(PartialDate::parse("16.IX.56").is_err());
        assert!(PartialDate::parse("56-09-16").is_err());
    }

    #[test]
    fn calendar_arithmetic_round_trips() {
        let d = |s| PartialDate::parse(s).unwrap();
        assert_eq!(d("1970-01-01").first_day(), 0);
        assert_eq!(
            d("1956-09-16").first_day() - d("1956-08-30").first_day(),
            17
        );
        assert_eq!(
            PartialDate::from_day(d("1956-02-29").first_day()),
            d("1956-02-29")
        );
        assert_eq!(d("1956-06").last_day(), d("1956-06-30").first_day());
        assert_eq!(d("1956").last_day(), d("1956-12-31").first_day());
        assert_eq!(d("1956-12").last_day(), d("1956-12-31").first_day());
    }

    #[test]
    fn partial_dates_sort_before_the_days_they_contain() {
        let month = PartialDate::parse("1956-09").unwrap();
        let day = PartialDate::parse("1956-09-01").unwrap();
        assert!(month < day);
        assert!(PartialDate::parse("1956-08-31").unwrap() < month);
    }
}
