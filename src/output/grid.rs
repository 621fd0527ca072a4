//! Rows of text cells printed as a table fitted to the terminal, or as plain
//! tab-separated lines: the one place tables and `--format plain` are laid out.

use super::{Out, io_err, line, safe};
use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Width};
use std::io::Write;

/// The widest a terminal is taken to be when it says nothing sensible.
const MAX_WIDTH: usize = 1000;

/// The width tables fit: `COLUMNS` when it is a number (as `ls` reads it, and
/// how tests ask for a width), else the terminal's on stdout, else none (a pipe
/// gets every row on one line).
pub fn width() -> Option<usize> {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|w| *w >= 20);
    from_env.or_else(terminal_width).map(|w| w.min(MAX_WIDTH))
}

/// The terminal's columns, when stdout is one.
fn terminal_width() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills the winsize it is given and reads nothing else.
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(usize::from(size.ws_col))
}

/// A table's rows before layout: a header and text cells, with the columns that
/// may go when the terminal is too narrow, the first to go first.
#[derive(Debug, Clone)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns (by header) to drop, in this order, until the table fits.
    pub droppable: Vec<String>,
    /// The column whose cells are statuses, coloured when colour is on.
    pub status: Option<usize>,
}

/// The first column (the email, the name) is what a reader looks for: wrapped
/// only when it would take more than two fifths of the width.
fn key_share(width: usize) -> usize {
    width * 2 / 5
}

impl Grid {
    pub fn new(header: &[&str]) -> Grid {
        Grid {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            droppable: Vec::new(),
            status: None,
        }
    }

    /// The widest cell of a column, its heading included.
    fn column_width(&self, i: usize) -> usize {
        let cells = self.rows.iter().map(|r| r.get(i).map_or(0, |c| chars(c)));
        cells.chain([chars(&self.header[i])]).max().unwrap_or(0)
    }

    /// The width the table takes with every cell on one line.
    fn natural_width(&self) -> usize {
        let widest = (0..self.header.len()).map(|i| self.column_width(i));
        widest.map(|w| w + 3).sum::<usize>() + 1
    }

    /// Drops the droppable columns, in turn, while the table is wider than `width`.
    fn fit(&mut self, width: usize) {
        for name in std::mem::take(&mut self.droppable) {
            if self.natural_width() <= width || self.header.len() <= 1 {
                return;
            }
            if let Some(i) = self.header.iter().position(|h| *h == name) {
                self.header.remove(i);
                self.rows.iter_mut().for_each(|r| _ = r.remove(i));
                self.status = match self.status {
                    Some(s) if s == i => None,
                    Some(s) if s > i => Some(s - 1),
                    s => s,
                };
            }
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

impl Out {
    /// Prints a grid as a table fitted to the terminal's width, wrapping what
    /// still does not fit.
    pub(crate) fn grid(&self, mut grid: Grid) -> Result<(), crate::error::Error> {
        if let Some(w) = self.width {
            grid.fit(w);
        }
        let header: Vec<&str> = grid.header.iter().map(String::as_str).collect();
        let mut t = self.table(&header);
        if let Some(w) = self.width {
            // The first column (the email, the name) wraps only past its share;
            // a status (one short word) never does.
            let key = grid.column_width(0).min(key_share(w));
            keep_whole(&mut t, 0, key);
            if let Some(s) = grid.status {
                keep_whole(&mut t, s, grid.column_width(s));
            }
        }
        for row in &grid.rows {
            t.add_row(row.iter().enumerate().map(|(i, c)| match grid.status {
                Some(s) if s == i => self.status_cell(c),
                _ => Cell::new(safe::clean(c)),
            }));
        }
        line(t)
    }

    /// Writes plain lines: the header (unless `--no-headers`), then one line per
    /// row, cells separated by tabs; a tab or line break inside a cell is escaped.
    pub(crate) fn plain<'a, R>(
        &self,
        header: &[String],
        rows: impl Iterator<Item = R>,
    ) -> Result<(), crate::error::Error>
    where
        R: IntoIterator<Item = &'a String>,
    {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        if self.headers {
            writeln!(out, "{}", header.join("\t")).map_err(io_err)?;
        }
        for row in rows {
            let cells: Vec<String> = row.into_iter().map(|c| plain_cell(c)).collect();
            writeln!(out, "{}", cells.join("\t")).map_err(io_err)?;
        }
        out.flush().map_err(io_err)
    }

    /// A table with these headers (left out under `--no-headers`), fitted to
    /// the terminal's width when there is one.
    pub(crate) fn table(&self, header: &[&str]) -> comfy_table::Table {
        use comfy_table::{modifiers, presets};
        let mut t = comfy_table::Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .apply_modifier(modifiers::UTF8_ROUND_CORNERS);
        if self.headers {
            t.set_header(header.iter().map(Cell::new));
        }
        match self.width {
            Some(w) => t
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(u16::try_from(w).unwrap_or(u16::MAX)),
            None => t.set_content_arrangement(ContentArrangement::Disabled),
        };
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t
    }
}

/// Keeps a column at least `width` characters wide.
fn keep_whole(t: &mut comfy_table::Table, column: usize, width: usize) {
    if let Some(c) = t.column_mut(column) {
        // comfy-table's widths count the cell's padding, one space each side.
        let fixed = Width::Fixed(u16::try_from(width + 2).unwrap_or(u16::MAX));
        c.set_constraint(ColumnConstraint::LowerBoundary(fixed));
    }
}

/// A cell on a plain line: control characters (a tab, a line break) escaped.
pub(crate) fn plain_cell(c: &str) -> String {
    safe::clean(c).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_droppable_columns_go_first_and_only_while_too_wide() {
        let mut g = Grid::new(&["EMAIL", "STATUS", "ID"]);
        g.rows
            .push(vec!["a@x.io".into(), "active".into(), "0".repeat(36)]);
        g.droppable = vec!["ID".into()];
        g.status = Some(1);
        let mut wide = g.clone();
        wide.fit(200);
        assert_eq!(wide.header.len(), 3);
        g.fit(40);
        assert_eq!(g.header, ["EMAIL", "STATUS"]);
        assert_eq!(g.rows[0], ["a@x.io", "active"]);
        assert_eq!(g.status, Some(1));
    }
}
