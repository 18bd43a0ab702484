/**
 * @internal The worker thread of {@link createWorkerPool}: holds the datasets and models the pool
 * sent it (by id, until the pool drops them) and runs one stage on them per job. Every stage is the
 * library's own function with the caller's options, so a worker's part of a result is exactly
 * what the single-thread call computes for those customers or signal types.
 */
import { parentPort } from "node:worker_threads";
import { datasetFromSharedBytes } from "../../data/dataset-from-bytes.ts";
import type { Dataset } from "../../data/dataset.ts";
import { fitPatterns, type PatternModel } from "../../patterns/fit-patterns.ts";
import { fromPatternsJSON } from "../../patterns/from-patterns-json.ts";
import { recommend } from "../../recommend/recommend.ts";
import { detectSignals } from "../../signals/detect-signals.ts";
import { packModel, unpackModel } from "./packed-model.ts";
import type { PoolRequest, PoolResponse } from "./pool-protocol.ts";

/** Datasets and models by id; the pool decides which to keep (least recently used) and sends `drop`. */
const datasets = new Map<number, Dataset>();
const models = new Map<number, PatternModel>();
/** What reading a sent dataset or model threw, by id (one numbering for both): the runs that use it fail with it (the thread lives on). */
const unreadable = new Map<number, unknown>();

function run(req: Extract<PoolRequest, { type: "run" }>): unknown {
  const dataset = datasets.get(req.datasetId);
  if (dataset === undefined) throw unreadable.get(req.datasetId) ?? new Error(`worker: dataset ${req.datasetId} was not sent`);
  const model = req.modelId === undefined ? undefined : models.get(req.modelId);
  if (req.modelId !== undefined && model === undefined) throw unreadable.get(req.modelId) ?? new Error(`worker: model ${req.modelId} was not sent`);
  const options = model === undefined ? req.options : { ...req.options, model };
  switch (req.stage) {
    case "fitPatterns": {
      const fitted = fitPatterns(dataset, options);
      if (req.keepAs !== undefined) models.set(req.keepAs, fitted);
      return packModel(fitted.toJSON());
    }
    case "detectSignals":
      return detectSignals(dataset, options);
    case "recommend":
      return recommend(dataset, options);
  }
}

const port = parentPort;
if (port) {
  port.on("message", (req: PoolRequest) => {
    if (req.type === "dataset" || req.type === "model") {
      // nothing waits for these messages: what they throw is kept for the runs that use the id
      try {
        // columns are views into the pool's shared buffer: one copy of the data for every worker
        if (req.type === "dataset") datasets.set(req.id, datasetFromSharedBytes(req.bytes));
        else models.set(req.id, fromPatternsJSON(unpackModel(req.model)));
      } catch (e) {
        unreadable.set(req.id, e);
      }
      return;
    }
    if (req.type === "drop") {
      if (req.datasetId !== undefined) datasets.delete(req.datasetId);
      if (req.modelId !== undefined) models.delete(req.modelId);
      for (const id of [req.datasetId, req.modelId]) if (id !== undefined) unreadable.delete(id);
      return;
    }
    let res: PoolResponse;
    try {
      res = { job: req.job, ok: true, result: run(req) };
    } catch (e) {
      const err = e as { name?: unknown; message?: unknown; code?: unknown; details?: unknown };
      res = {
        job: req.job,
        ok: false,
        error: { name: String(err.name ?? "Error"), message: String(err.message ?? e), code: typeof err.code === "string" ? err.code : undefined, details: err.details ?? undefined },
      };
    }
    port.postMessage(res);
  });
}
