//! Pages of long lists.

use serde::{Deserialize, Serialize};

pub const DEFAULT_PAGE_SIZE: u64 = 25;

/// A 1-based page number read from the URL; anything unreadable means the first page.
pub fn page_number(input: Option<&str>) -> u64 {
    input
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// 1-based, clamped to the last page.
    pub number: u64,
    pub size: u64,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        page_count(self.total, self.size)
    }

    pub fn has_previous(&self) -> bool {
        self.number > 1
    }

    pub fn has_next(&self) -> bool {
        self.number < self.pages()
    }
}

/// How many pages `total` items fill; an empty list still has one (empty) page.
pub fn page_count(total: u64, size: u64) -> u64 {
    total.div_ceil(size.max(1)).max(1)
}

/// The page to show when `requested` may be past the end, and the offset of its first item.
pub fn clamp(requested: u64, total: u64, size: u64) -> (u64, u64) {
    let number = requested.clamp(1, page_count(total, size));
    (number, (number - 1) * size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_from_the_url() {
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some("3")), 3);
        assert_eq!(page_number(Some("0")), 1);
        assert_eq!(page_number(Some("-2")), 1);
        assert_eq!(page_number(Some("abc")), 1);
    }

    #[test]
    fn counting_pages() {
        assert_eq!(page_count(0, 25), 1);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
    }

    #[test]
    fn requests_past_the_end_show_the_last_page() {
        assert_eq!(clamp(9, 60, 25), (3, 50));
        assert_eq!(clamp(1, 0, 25), (1, 0));
        assert_eq!(clamp(2, 60, 25), (2, 25));
    }

    #[test]
    fn navigation_flags() {
        let page = Page {
            items: vec![1],
            number: 2,
            size: 25,
            total: 60,
        };
        assert!(page.has_previous());
        assert!(page.has_next());
        let last = Page { number: 3, ..page };
        assert!(!last.has_next());
    }
}
