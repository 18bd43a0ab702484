export type {
  ActionType,
  Analysis,
  AnalysisContent,
  AnalysisDeal,
  AnalysisKpis,
  AnalysisOffer,
  AnalysisPeriod,
  AnalysisPeriodRef,
  AnalysisProduct,
  AnalysisRep,
  AnalysisTarget,
  AnalyzeOptions,
  CustomerFacts,
  FollowThrough,
  FollowThroughItem,
  FollowThroughRate,
  KpiFigure,
  RankedTasks,
  RatioParts,
  RecentPurchase,
  SuppressedTask,
  TrackedTask,
  FollowThroughWeek,
  RankTasksOptions,
  RepRanking,
  ResolvedValueOptions,
  Snooze,
  Task,
  TaskAction,
  TaskCandidate,
  TaskComponent,
  TaskContent,
  TaskDeal,
  TaskKind,
  TaskLocale,
  TaskOffer,
  TaskRule,
  TaskSignal,
  TaskText,
  ValueItem,
  ValueOptions,
  ValueSource,
} from "./types.ts";
export { taskMessages, type TaskMessage } from "./messages.ts";
export { rankTasks } from "./rank-tasks.ts";
export type { BriefFollowThrough, BriefKpi, BriefPeriod, BriefRecipient, BriefRepRow, BriefSignal, BriefTask, WeeklyBrief, WeeklyBriefOptions } from "./brief-types.ts";
export { weeklyBrief } from "./weekly-brief.ts";
export { renderBriefMarkdown } from "./render-markdown.ts";
export { renderBriefHtml } from "./render-html.ts";
export { weeklyBriefSchema } from "./brief-schema.ts";
export { acceptanceFromEvaluation } from "./acceptance-from-evaluation.ts";
