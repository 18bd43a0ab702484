/**
 * `orderpulse/csv`: Node file I/O. Reads the data contract's CSV files with papaparse
 * (streaming) and writes CSV with fast-csv.
 * @module
 */
export type { ReadDatasetOptions, ReadProgress } from "./read-dataset-options.ts";
export { readDataset } from "./read-dataset.ts";
export type { WriteCsvOptions } from "./write-csv.ts";
export { writeCsv } from "./write-csv.ts";
export type { WrittenFile, WrittenSyntheticDistributor } from "./write-synthetic-distributor.ts";
export { writeSyntheticDistributor } from "./write-synthetic-distributor.ts";
