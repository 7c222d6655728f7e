//! What the home page shows, read in one go: a page of one section loads once and renders once.

use crate::error::AppError;
use crate::features::editions::api::{EditionSummary, MyEdition};
use crate::features::groups::api::MyGroup;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::ssr::{entry, respond};

/// The home page's data: the caller's own part (signed in only) and the open editions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub mine: Option<MyHome>,
    pub open: Vec<EditionSummary>,
}

/// A signed-in person's groups (as ambassador or member) and editions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyHome {
    pub groups: Vec<MyGroup>,
    pub editions: Vec<MyEdition>,
}

#[server(prefix = "/api", endpoint = "home")]
pub async fn load_home() -> Result<Home, AppError> {
    let (state, caller) = entry::read_public().await?;
    respond(
        async {
            let mine = match &caller {
                Some(caller) => Some(MyHome {
                    groups: crate::features::groups::service::my_groups(&state, caller).await?,
                    editions: crate::features::editions::service::my_editions(&state, caller)
                        .await?,
                }),
                None => None,
            };
            let open =
                crate::features::editions::service::open_editions(&state, caller.as_ref()).await?;
            Ok(Home { mine, open })
        }
        .await,
    )
}
