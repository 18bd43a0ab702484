/** @internal Messages between {@link createWorkerPool} and its worker threads. */

import type { PackedModel } from "./packed-model.ts";

/** A stage a worker runs. */
export type PoolStage = "fitPatterns" | "detectSignals" | "recommend";

/** Main thread -> worker. */
export type PoolRequest =
  | { readonly type: "dataset"; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: "model"; readonly id: number; readonly model: PackedModel }
  | { readonly type: "drop"; readonly datasetId?: number; readonly modelId?: number }
  | {
      readonly type: "run";
      readonly job: number;
      readonly stage: PoolStage;
      readonly datasetId: number;
      readonly modelId: number | undefined;
      /** fitPatterns: keep the fitted model under this id (and answer with it, packed). */
      readonly keepAs?: number;
      // the stage's options without `model` (sent once by id), structured-cloneable
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      readonly options: any;
    };

/** Worker -> main thread. */
export type PoolResponse =
  | { readonly job: number; readonly ok: true; readonly result: unknown }
  | { readonly job: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly code: string | undefined; readonly details: unknown } };
