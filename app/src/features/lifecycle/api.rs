use crate::domain::lifecycle::Retention;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::ssr::entry;

/// How long personal data are kept, as configured (for the privacy notice).
#[server(prefix = "/api", endpoint = "retention_periods")]
pub async fn retention_periods() -> Result<Retention, AppError> {
    let (state, _) = entry::read_public().await?;
    Ok(state.settings.retention)
}
