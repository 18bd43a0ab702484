import { extendKeys, type OptionKeys } from "../../data/internal/check.ts";
import type { WeeklyBriefOptions } from "../brief-types.ts";
import type { RankTasksOptions, TaskRule } from "../types.ts";

/** @internal The option names of {@link rankTasks} (weeklyBrief takes them too). */
export const RANK_TASKS_KEYS: OptionKeys<RankTasksOptions> = {
  asOf: true,
  perRep: true,
  maxPerKind: true,
  minValue: true,
  relativeFloor: true,
  highValue: true,
  previous: true,
  doneWithinDays: true,
  escalateAfterDays: true,
  snoozed: true,
  acknowledged: true,
  rules: true,
  locale: true,
  maxContent: true,
};

/** @internal The option names of {@link weeklyBrief}: its own and the ranking's. */
export const WEEKLY_BRIEF_KEYS: OptionKeys<WeeklyBriefOptions> = /* @__PURE__ */ extendKeys<WeeklyBriefOptions, RankTasksOptions>(RANK_TASKS_KEYS, { repId: true, managerId: true, format: true, tasks: true, topTasks: true });

/** @internal The field names of a {@link TaskRule} (a rule's misspelled field is INVALID_OPTION, as an option's). */
export const RULE_KEYS: OptionKeys<TaskRule> = { id: true, effect: true, factor: true, when: true };
