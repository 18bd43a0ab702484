import type { DealStage } from "./dataset.ts";

/**
 * The canonical deal stages in pipeline order; `DealEvents.stage` holds an index into this list.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEAL_STAGES } from "orderpulse";
 * assert.equal(DEAL_STAGES[2], "proposal");
 * ```
 */
export const DEAL_STAGES: readonly DealStage[] = ["lead", "qualified", "proposal", "negotiation", "won", "lost"];
