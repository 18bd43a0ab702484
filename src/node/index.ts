/**
 * `orderpulse/node`: Node-only extras (webhook sink, worker pool). Filled by later releases;
 * today it re-exports the CSV entry point so Node hosts can import everything from one place.
 * @module
 */
export * from "../csv/index.ts";
