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

function run(req: Extract<PoolRequest, { type: "run" }>): unknown {
  const dataset = datasets.get(req.datasetId);
  if (dataset === undefined) throw new Error(`worker: dataset ${req.datasetId} was not sent`);
  const model = req.modelId === undefined ? undefined : models.get(req.modelId);
  if (req.modelId !== undefined && model === undefined) throw new Error(`worker: model ${req.modelId} was not sent`);
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
    if (req.type === "dataset") {
      // columns are views into the pool's shared buffer: one copy of the data for every worker
      datasets.set(req.id, datasetFromSharedBytes(req.bytes));
      return;
    }
    if (req.type === "model") {
      models.set(req.id, fromPatternsJSON(unpackModel(req.model)));
      return;
    }
    if (req.type === "drop") {
      if (req.datasetId !== undefined) datasets.delete(req.datasetId);
      if (req.modelId !== undefined) models.delete(req.modelId);
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
