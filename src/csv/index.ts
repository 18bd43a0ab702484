/**
 * `orderpulse/csv`: Node file I/O. Reads the data contract's CSV files with papaparse
 * (streaming) and writes CSV with fast-csv.
 * @module
 */
export type { ReadDatasetOptions, ReadProgress } from "./read-dataset-options.ts";
export { readDataset } from "./read-dataset.ts";
