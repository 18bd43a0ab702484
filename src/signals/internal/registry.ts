import type { Dataset } from "../../data/dataset.ts";
import { detectCustomerOverdue } from "../detect-customer-overdue.ts";
import { detectDiscountAnomaly } from "../detect-discount-anomaly.ts";
import { detectDiversityDrop } from "../detect-diversity-drop.ts";
import { detectFrequencyDrop } from "../detect-frequency-drop.ts";
import { detectItemDropped } from "../detect-item-dropped.ts";
import { detectItemVolumeDrop } from "../detect-item-volume-drop.ts";
import { detectKpiDrop } from "../detect-kpi-drop.ts";
import { detectPipelineStall } from "../detect-pipeline-stall.ts";
import { detectProductVanishing } from "../detect-product-vanishing.ts";
import type { DetectorOptions, Signal, SignalType } from "../types.ts";

/** @internal Every detector by signal type, in the order detectSignals runs them. */
export const DETECTORS: Readonly<Record<SignalType, (dataset: Dataset, options: DetectorOptions) => Signal[]>> = {
  customer_overdue: detectCustomerOverdue,
  frequency_drop: detectFrequencyDrop,
  item_dropped: detectItemDropped,
  item_volume_drop: detectItemVolumeDrop,
  diversity_drop: detectDiversityDrop,
  product_vanishing: detectProductVanishing,
  discount_anomaly: detectDiscountAnomaly,
  pipeline_stall: detectPipelineStall,
  kpi_drop: detectKpiDrop,
};

/** @internal Signal types whose detector reads the pattern model (detectSignals fits it once for them). */
export const NEEDS_MODEL: ReadonlySet<SignalType> = new Set<SignalType>(["customer_overdue", "frequency_drop", "product_vanishing", "kpi_drop"]);
