import type { PatternModel } from "../patterns/fit-patterns.ts";

/** The kinds of signal (DESIGN.md section 4). */
export type SignalType =
  | "customer_overdue"
  | "frequency_drop"
  | "item_dropped"
  | "item_volume_drop"
  | "diversity_drop"
  | "product_vanishing"
  | "discount_anomaly"
  | "pipeline_stall"
  | "kpi_drop";

/** Languages of signal messages. */
export type SignalLocale = "en" | "he";

/** Why a signal fired, as data: a stable code and its parameters (hosts can render their own text). */
export interface SignalReason {
  /** Stable reason code, e.g. `customer_overdue`. */
  readonly code: string;
  /** The numbers and ids the message is made of. */
  readonly params: Readonly<Record<string, number | string>>;
}

/**
 * One early-warning signal. `id` is stable for the same situation (same type, entity and
 * episode), so hosts and the real-time engine can dedupe; every number in `evidence` traces
 * back to the orders behind it.
 */
export interface Signal {
  /** Stable id: type, entity and the episode's anchor day, e.g. `customer_overdue:C00012:2026-09-14`. */
  readonly id: string;
  /** The kind of signal. */
  readonly type: SignalType;
  /** Day the signal was computed for, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Estimated start of the change, `YYYY-MM-DD`. */
  readonly since: string;
  /** Customer, for customer-level signals. */
  readonly customerId?: string;
  /** Product, for product-level signals. */
  readonly productId?: string;
  /** Segment, for segment-level signals. */
  readonly segment?: string;
  /** The responsible rep: the account owner for customer-level signals, the rep itself for rep-level ones. */
  readonly repId?: string;
  /** Pipeline stage, for pipeline signals. */
  readonly stage?: string;
  /** KPI name, for KPI signals. */
  readonly kpi?: string;
  /** How sure and how strong, 0..1. */
  readonly severity: number;
  /** Money at stake: expected gross margin of the next 90 days that the situation puts at risk (dataset currency). */
  readonly valueAtRisk: number;
  /** The numbers behind the signal. */
  readonly evidence: Readonly<Record<string, number | string>>;
  /** The reason as a code with parameters. */
  readonly reason: SignalReason;
  /** One line for a person, in the requested locale. */
  readonly message: string;
}

/** Options every detector takes. */
export interface DetectorOptions {
  /** Day to detect at. Default: the dataset's last order day. */
  asOf?: string | Date | number | undefined;
  /** Pattern model fitted at the same asOf (fitted when missing; pass it to share one fit between detectors). */
  model?: PatternModel | undefined;
  /** Sensitivity knob, > 0 (default 1): raising it only ever adds signals, never removes one. */
  sensitivity?: number | undefined;
  /** Message language. Default `en`. */
  locale?: SignalLocale | undefined;
}
