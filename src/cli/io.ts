/** Where the CLI writes; injectable so tests run commands in-process. @internal */
export interface CliIo {
  /** Standard output. */
  readonly out: (text: string) => void;
  /** Standard error. */
  readonly err: (text: string) => void;
  /** Whether stderr is an interactive terminal (progress bars only then). */
  readonly errIsTTY: boolean;
  /** Environment variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A usage error: exit code 2 with a one-line reason. @internal */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
