//! The schema, one file per change. Written with backend-neutral helpers so the same
//! migrations run on SQLite and PostgreSQL; applied automatically at start-up.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_foundation;
mod m20261122_000002_groups_and_activities;
mod m20261122_000003_submissions_and_quizzes;
mod m20261122_000004_completion;
mod m20261123_000005_certificates;
mod m20261123_000006_request_limits;
mod m20261129_000007_one_word_per_concept;
mod m20261129_000008_revocation_category;
mod m20261129_000009_certificates_outlive;
mod m20261129_000010_hidden_activities;
mod m20261129_000011_signing_key_ids;
mod m20261201_000012_outbox;
mod m20261201_000013_accounts;
mod m20261201_000014_single_sign_on;
mod m20261201_000015_scheduler;
mod m20261201_000016_registration_validation;
mod m20261201_000017_registry;
mod m20261201_000018_lifecycle;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261122_000002_groups_and_activities::Migration),
            Box::new(m20261122_000003_submissions_and_quizzes::Migration),
            Box::new(m20261122_000004_completion::Migration),
            Box::new(m20261123_000005_certificates::Migration),
            Box::new(m20261123_000006_request_limits::Migration),
            Box::new(m20261129_000007_one_word_per_concept::Migration),
            Box::new(m20261129_000008_revocation_category::Migration),
            Box::new(m20261129_000009_certificates_outlive::Migration),
            Box::new(m20261129_000010_hidden_activities::Migration),
            Box::new(m20261129_000011_signing_key_ids::Migration),
            Box::new(m20261201_000012_outbox::Migration),
            Box::new(m20261201_000013_accounts::Migration),
            Box::new(m20261201_000014_single_sign_on::Migration),
            Box::new(m20261201_000015_scheduler::Migration),
            Box::new(m20261201_000016_registration_validation::Migration),
            Box::new(m20261201_000017_registry::Migration),
            Box::new(m20261201_000018_lifecycle::Migration),
        ]
    }
}
