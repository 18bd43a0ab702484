/** C0 controls but tab and line feed, DEL, C1 (`search` and `replace` ignore a global regex's lastIndex). */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/gu;

/**
 * @internal Text for a terminal: every control character but tab and line feed (C0, DEL, C1;
 * escape and carriage return included) becomes U+FFFD. Names from an ERP export reach the tables,
 * cards and briefs the CLI prints; one holding an escape sequence would otherwise drive the
 * rep's terminal (clear the screen, retitle the window, write the clipboard through OSC 52), and a
 * carriage return could print over the line before it. Bidi isolates (U+2066-U+2069), which the
 * tables place around right-to-left text, are not controls in this sense and stay.
 * @param text - what a command prints
 * @returns the text, safe to write to a terminal
 */
export function terminalSafe(text: string): string {
  // (a search first: the common case, plain text, is returned as it is)
  return text.search(CONTROLS) < 0 ? text : text.replace(CONTROLS, "\ufffd");
}

/**
 * @internal {@link terminalSafe} for what the CLI writes to stderr on a terminal: its notes and
 * errors quote data (a rejected cell, an id), while its progress line drives the terminal on
 * purpose: a leading carriage return (the line redrawn) and the erase-line sequence ESC [ K that
 * ends it are kept.
 * @param text - one write to stderr
 * @returns the text, safe to write to a terminal
 */
export function terminalSafeErr(text: string): string {
  if (text === "\r\u001b[K") return text;
  return text.startsWith("\r") ? `\r${terminalSafe(text.slice(1))}` : terminalSafe(text);
}
