// Temporary: the option checks moved to the data layer (both kpi and patterns use them).
export * from "../../data/internal/check.ts";
