//! Charts laid out as grids of cells: a heatmap of counts and a calendar
//! of a year, each with its numbers as a table.

use std::fmt::Write;

use crate::text::escape_html as esc;

/// A grid of counts (rows × columns) drawn as shaded cells, with the same
/// numbers as a table: the time-of-day / day-of-week heat map.
pub fn heatmap(
    title: &str,
    desc: &str,
    id: &str,
    rows: &[&str],
    cols: &[String],
    values: &[Vec<u32>],
) -> String {
    let grid = Grid {
        title,
        rows,
        cols,
        values,
    };
    let svg = grid.svg(desc, id);
    let table = grid.table();
    format!(
        "<figure class=\"chart-figure\" id=\"{}\"><figcaption>{}</figcaption>{svg}{table}</figure>",
        esc(id),
        esc(title)
    )
}

/// What a [`heatmap`] shows: labelled rows and columns of counts.
struct Grid<'a> {
    title: &'a str,
    rows: &'a [&'a str],
    cols: &'a [String],
    values: &'a [Vec<u32>],
}

impl Grid<'_> {
    /// The count in row `r`, column `c` (0 where none is given).
    fn at(&self, r: usize, c: usize) -> u32 {
        self.values
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .unwrap_or(0)
    }

    /// The drawing: column labels every third column, row labels, and a
    /// cell per value shaded against the largest.
    fn svg(&self, desc: &str, id: &str) -> String {
        let (cell, left, top) = (22.0, 40.0, 18.0);
        let width = left + cell * self.cols.len() as f64 + 4.0;
        let height = top + cell * self.rows.len() as f64 + 4.0;
        let max = self
            .values
            .iter()
            .flatten()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let mut svg = format!(
            "<svg class=\"chart heatmap\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            esc(self.title),
            esc(desc)
        );
        for (c, label) in self.cols.iter().enumerate() {
            if c % 3 == 0 {
                let _ = write!(
                    svg,
                    "<text class=\"tick\" x=\"{:.1}\" y=\"12\" text-anchor=\"middle\">{}</text>",
                    left + cell * c as f64 + cell / 2.0,
                    esc(label)
                );
            }
        }
        for (r, label) in self.rows.iter().enumerate() {
            let y = top + cell * r as f64;
            let _ = write!(
                svg,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left - 6.0,
                y + cell * 0.65,
                esc(label)
            );
            for (c, col) in self.cols.iter().enumerate() {
                let v = self.at(r, c);
                let opacity = if v == 0 {
                    0.0
                } else {
                    0.15 + 0.85 * v as f64 / max
                };
                let _ = write!(
                    svg,
                    "<rect class=\"cell\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill-opacity=\"{opacity:.2}\"><title>{} {}: {v}</title></rect>",
                    left + cell * c as f64 + 1.0,
                    cell - 2.0,
                    cell - 2.0,
                    esc(label),
                    esc(col)
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }

    /// The values as a table, for screen readers and copying.
    fn table(&self) -> String {
        let mut table = format!(
            "<details class=\"chart-data\"><summary>Data: {}</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\"></th>",
            esc(self.title)
        );
        for col in self.cols {
            let _ = write!(table, "<th scope=\"col\">{}</th>", esc(col));
        }
        table.push_str("</tr></thead><tbody>");
        for (r, label) in self.rows.iter().enumerate() {
            let _ = write!(table, "<tr><th scope=\"row\">{}</th>", esc(label));
            for c in 0..self.cols.len() {
                let _ = write!(table, "<td>{}</td>", self.at(r, c));
            }
            table.push_str("</tr>");
        }
        table.push_str("</tbody></table></div></details>");
        table
    }
}

/// A calendar of one year, a cell per day shaded by its count (weeks as
/// columns, Monday on top), with the days that had incidents as a table.
pub fn calendar(
    year: i16,
    counts: &std::collections::BTreeMap<jiff::civil::Date, u32>,
    id: &str,
) -> String {
    use jiff::civil::{Date, Weekday};
    let Ok(first) = Date::new(year, 1, 1) else {
        return String::new();
    };
    let (cell, left, top) = (11.0, 28.0, 14.0);
    let offset = first.weekday().to_monday_zero_offset() as i64;
    let days = if first.in_leap_year() { 366 } else { 365 };
    let weeks = ((offset + days) as f64 / 7.0).ceil();
    let width = left + cell * weeks + 2.0;
    let height = top + cell * 7.0 + 2.0;
    let in_year: Vec<(&Date, &u32)> = counts.iter().filter(|(d, _)| d.year() == year).collect();
    let total: u32 = in_year.iter().map(|(_, c)| **c).sum();
    let max = in_year.iter().map(|(_, c)| **c).max().unwrap_or(1).max(1) as f64;
    let title = format!("Incidents per day in {year}");
    let mut svg = format!(
        "<svg class=\"chart calendar\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{total} incidents on {} days of {year}.</desc>",
        in_year.len()
    );
    for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
        let _ = write!(
            svg,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{name}</text>",
            left - 4.0,
            top + cell * row as f64 + cell * 0.8
        );
    }
    let mut day = first;
    for n in 0..days {
        let index = offset + n;
        let (col, row) = (index / 7, index % 7);
        let count = counts.get(&day).copied().unwrap_or(0);
        let opacity = if count == 0 {
            0.0
        } else {
            0.3 + 0.7 * count as f64 / max
        };
        let _ = write!(
            svg,
            "<rect class=\"cell\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill-opacity=\"{opacity:.2}\"><title>{day}: {count}</title></rect>",
            left + cell * col as f64,
            top + cell * row as f64,
            cell - 2.0,
            cell - 2.0
        );
        if day.weekday() == Weekday::Monday && day.day() <= 7 {
            let _ = write!(
                svg,
                "<text class=\"tick\" x=\"{:.1}\" y=\"10\">{}</text>",
                left + cell * col as f64,
                day.strftime("%b")
            );
        }
        day = day.tomorrow().unwrap_or(day);
    }
    svg.push_str("</svg>");
    let mut table = format!(
        "<details class=\"chart-data\"><summary>Data: days with incidents in {year}</summary><table><thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Incidents</th></tr></thead><tbody>"
    );
    for (d, c) in &in_year {
        let _ = write!(table, "<tr><th scope=\"row\">{d}</th><td>{c}</td></tr>");
    }
    table.push_str("</tbody></table></details>");
    format!(
        "<figure class=\"chart-figure calendar-figure\" id=\"{id}\"><figcaption>{title}</figcaption>{svg}{table}</figure>"
    )
}
