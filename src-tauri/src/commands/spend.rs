//! The Spend screen's commands: the dashboard, the request table and its CSV export, budgets,
//! and the baseline model savings are measured against.
use serde::Serialize;
use switchyard_engine::budget::BudgetStatus;
use switchyard_engine::send::baseline_model;
use switchyard_engine::store::budgets::Budget;
use switchyard_engine::store::spend::{
    to_csv, Dashboard, GridUsage, SpendFilter, SpendRange, SpendRow,
};
use tauri::State;
use ts_rs::TS;

use crate::error::AppResult;
use crate::save_dialog::{save_with_dialog, SaveAs};
use crate::state::AppState;

#[tauri::command]
pub async fn spend_dashboard(
    state: State<'_, AppState>,
    range: SpendRange,
) -> AppResult<Dashboard> {
    Ok(state.settings()?.store.spend_dashboard(&range).await?)
}

/// Requests and spend per task and complexity tier in `range`: the routing grid's heatmap.
#[tauri::command]
pub async fn grid_usage(state: State<'_, AppState>, range: SpendRange) -> AppResult<GridUsage> {
    Ok(state.settings()?.store.grid_usage(&range).await?)
}

#[tauri::command]
pub async fn spend_requests(
    state: State<'_, AppState>,
    filter: SpendFilter,
) -> AppResult<Vec<SpendRow>> {
    Ok(state.settings()?.store.spend_rows(&filter).await?)
}

/// Asks where to save (the system save dialog, opened here) and writes the filtered requests
/// there as CSV. Returns the path written, or `null` when the user cancelled.
#[tauri::command]
pub async fn save_spend_csv(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    filter: SpendFilter,
) -> AppResult<Option<String>> {
    let rows = state.settings()?.store.spend_rows(&filter).await?;
    let offer = SaveAs {
        suggested: "switchyard-spend",
        filter: "CSV",
        extension: "csv",
    };
    save_with_dialog(&app, offer, to_csv(&rows)).await
}

/// Every budget with what its period has spent so far, and whether it warns or applies.
#[tauri::command]
pub async fn budget_status(state: State<'_, AppState>) -> AppResult<Vec<BudgetStatus>> {
    let chat = state.engine()?;
    let catalog = chat.routing().await?.catalog;
    Ok(chat.budgets().status(&catalog).await?)
}

#[tauri::command]
pub async fn save_budget(state: State<'_, AppState>, budget: Budget) -> AppResult<Budget> {
    Ok(state.settings()?.store.save_budget(&budget).await?)
}

#[tauri::command]
pub async fn delete_budget(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    Ok(state.settings()?.store.delete_budget(id).await?)
}

/// The baseline: the user's choice, and the model actually used (the default when none).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Baseline {
    pub chosen: Option<String>,
    pub effective: Option<String>,
    /// Enabled catalog models, priciest first, to choose from.
    pub models: Vec<String>,
}

#[tauri::command]
pub async fn baseline(state: State<'_, AppState>) -> AppResult<Baseline> {
    let chat = state.engine()?;
    let catalog = chat.routing().await?.catalog;
    let chosen = chat.settings().store.baseline_setting().await?;
    let effective = baseline_model(&catalog, chosen.as_deref()).map(|m| m.id.clone());
    let mut models: Vec<_> = catalog.enabled().collect();
    models.sort_by_key(|m| std::cmp::Reverse(m.input.0 + m.output.0));
    Ok(Baseline {
        chosen,
        effective,
        models: models.into_iter().map(|m| m.id.clone()).collect(),
    })
}

/// `None` goes back to the default, the priciest enabled model.
#[tauri::command]
pub async fn set_baseline(state: State<'_, AppState>, model: Option<String>) -> AppResult<()> {
    Ok(state
        .settings()?
        .store
        .set_baseline_setting(model.as_deref())
        .await?)
}
