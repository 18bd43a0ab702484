/**
 * Checks the relative links of markdown files: every link target file or directory exists, and
 * every `#anchor` (in the same file or in another .md file) names a heading or an explicit HTML
 * id there. Anchors follow GitHub's heading slugs (where the guides are read), which the typedoc
 * site reproduces (see scripts/typedoc-categories.mjs). External links (any `scheme:`) are not
 * fetched.
 *
 *   node --import tsx scripts/check-doc-links.ts [file-or-directory ...]
 *
 * Without arguments: README.md, docs/*.md and scripts/typedoc-index.md (the API site's landing
 * page). Prints one line per broken link and exits 1 if there is any (`npm run docs:links`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** One link found in a markdown file. */
export interface MarkdownLink {
  /** The destination as written (angle brackets removed). */
  target: string;
  /** 1-based line of the link's destination. */
  line: number;
}

/** A link that does not resolve. */
export interface LinkProblem {
  /** The markdown file holding the link. */
  file: string;
  /** 1-based line of the link. */
  line: number;
  /** The destination as written. */
  target: string;
  /** Why it does not resolve. */
  reason: string;
}

/** Result of {@link checkDocLinks}. */
export interface LinkCheckResult {
  /** Number of markdown files read. */
  files: number;
  /** Number of relative links (files and anchors) checked; external links are not counted. */
  checked: number;
  /** The broken ones, in file and line order. */
  problems: LinkProblem[];
}

/** The files checked when the script gets no arguments, relative to the repository root. */
export const DEFAULT_DOC_FILES: readonly string[] = ["README.md", "docs", "scripts/typedoc-index.md"];

/** Replaces every character but newlines with spaces, so offsets and line numbers survive. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, " ");
}

/**
 * The markdown with fenced code blocks, inline code spans and HTML comments blanked out (same
 * length, same line breaks), so nothing inside them is taken for a link or a heading.
 * @param markdown the file's text
 * @returns the text with code and comments replaced by spaces
 */
export function stripCode(markdown: string): string {
  const lines = markdown.split("\n");
  let fence: { char: string; length: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      lines[i] = blank(line);
    } else if (open && !(open[1]![0] === "`" && line.slice(open.index + open[0].length).includes("`"))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      lines[i] = blank(line);
    }
  }
  return lines
    .join("\n")
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/(`+)(?!`)(?:(?!\n[ \t]*\n)[\s\S])*?[^`]\1(?!`)/g, blank); // code spans end at a blank line
}

/** The 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Every link destination in a markdown text: inline links and images `[text](target "title")`,
 * reference definitions `[label]: target`, and `href` / `src` attributes of HTML tags. Links in
 * code are ignored.
 * @param markdown the file's text
 * @returns the destinations in order of appearance
 */
export function extractLinks(markdown: string): MarkdownLink[] {
  const text = stripCode(markdown);
  const links: Array<MarkdownLink & { offset: number }> = [];
  const add = (target: string, offset: number): void => {
    links.push({ target, line: lineAt(text, offset), offset });
  };
  // inline links and images: "](" then a destination, <...> or balanced parentheses
  for (let at = text.indexOf("]("); at !== -1; at = text.indexOf("](", at + 2)) {
    let i = at + 2;
    while (text[i] === " " || text[i] === "\t" || text[i] === "\n") i++;
    const start = i;
    if (text[i] === "<") {
      const end = text.indexOf(">", i);
      if (end === -1) continue;
      add(text.slice(i + 1, end), start);
      continue;
    }
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === "\\") i++;
      else if (c === "(") depth++;
      else if (c === ")") {
        if (depth === 0) break;
        depth--;
      } else if (/\s/.test(c)) break;
    }
    if (i > start) add(text.slice(start, i), start);
  }
  // reference definitions
  for (const match of text.matchAll(/^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))/gm)) {
    const target = match[1] ?? match[2]!;
    add(target, match.index + match[0].length - target.length);
  }
  // HTML attributes
  for (const match of text.matchAll(/<[a-z][a-z0-9]*\s[^>]*?\b(?:href|src)\s*=\s*(["'])(.*?)\1/gi)) {
    add(match[2]!, match.index + match[0].length - match[2]!.length - 1);
  }
  links.sort((a, b) => a.offset - b.offset);
  return links.map(({ target, line }) => ({ target, line }));
}

/**
 * GitHub's anchor for a heading's rendered text (github-slugger without the de-duplication):
 * lower case, punctuation and symbols removed (letters, digits, marks, `_`, `-` and spaces
 * stay), each space turned into `-`.
 * @param text the heading's text as rendered (no markdown syntax)
 * @returns the slug, e.g. "1-item_dropped-a-habit" for the text "1. item_dropped: a habit"
 */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** A heading's markdown as the rendered plain text GitHub slugs. */
function headingText(markdown: string): string {
  const parts = markdown.split(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/);
  let out = "";
  // split with two capture groups: [text, ticks, code, text, ticks, code, ..., text]
  for (let i = 0; i < parts.length; i += 3) {
    out += parts[i]!
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1") // image: its alt text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // link: its text
      .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1") // reference link: its text
      .replace(/<[^>]+>/g, "") // HTML tags
      .replace(/\\([!-/:-@[-`{-~])/g, "$1") // backslash escapes
      .replace(/\*+/g, "") // emphasis
      .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, "$1"); // _emphasis_, not snake_case
    if (i + 2 < parts.length) out += parts[i + 2]!.replace(/^ (.*) $/s, "$1");
  }
  return out.trim();
}

/**
 * Every anchor a markdown file defines: GitHub heading slugs (ATX and setext headings, repeated
 * headings numbered `-1`, `-2`, ...) and explicit `id` / `name` attributes of HTML tags.
 * @param markdown the file's text
 * @returns the set of anchors, without the leading `#`
 */
export function markdownAnchors(markdown: string): Set<string> {
  const text = stripCode(markdown);
  const anchors = new Set<string>();
  const occurrences = new Map<string, number>();
  const addHeading = (heading: string): void => {
    const base = githubSlug(headingText(heading));
    let slug = base;
    while (occurrences.has(slug)) {
      const n = occurrences.get(base)! + 1;
      occurrences.set(base, n);
      slug = `${base}-${n}`;
    }
    occurrences.set(slug, 0);
    anchors.add(slug);
  };
  const lines = text.split("\n");
  const original = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    // headings are slugged from the original line so inline code keeps its content
    if (lines[i]!.trim() === "" && original[i]!.trim() !== "") continue; // inside a code block
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(lines[i]!);
    if (atx) {
      const heading = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(original[i]!);
      addHeading(heading?.[1] ?? "");
      continue;
    }
    const next = lines[i + 1];
    if (
      next !== undefined &&
      /^ {0,3}(=+|-+)[ \t]*$/.test(next) &&
      lines[i]!.trim() !== "" &&
      !/^ {0,3}([-*+]|\d+[.)]|>|\|)/.test(lines[i]!)
    ) {
      addHeading(original[i]!.trim());
      i++;
    }
  }
  for (const match of text.matchAll(/<[a-z][a-z0-9]*\s[^>]*?\b(?:id|name)\s*=\s*(["'])(.*?)\1/gi)) {
    anchors.add(match[2]!);
  }
  return anchors;
}

/** Expands directories into the .md files directly inside them, sorted. */
function expand(paths: readonly string[], root: string): string[] {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(root, path);
    if (existsSync(absolute) && statSync(absolute).isDirectory()) {
      for (const name of readdirSync(absolute).sort()) {
        if (name.endsWith(".md")) files.push(join(absolute, name));
      }
    } else {
      files.push(absolute);
    }
  }
  return files;
}

/**
 * Checks the relative links of markdown files. A target path is resolved against the linking
 * file's directory (against `root` when it starts with `/`, as GitHub does); it must exist as a
 * file or directory. An anchor must be defined in the target when the target is a .md file (or
 * in the linking file for `#anchor`); anchors into other kinds of files (`code.ts#L10`) are not
 * checked.
 * @param paths markdown files, or directories whose *.md files are checked
 * @param root the repository root, for relative `paths`, root-relative links and messages
 * @returns what was checked and the broken links
 */
export function checkDocLinks(paths: readonly string[], root: string = process.cwd()): LinkCheckResult {
  const files = expand(paths, root);
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string): Set<string> => {
    let anchors = anchorCache.get(file);
    if (!anchors) {
      anchors = markdownAnchors(readFileSync(file, "utf8"));
      anchorCache.set(file, anchors);
    }
    return anchors;
  };
  const problems: LinkProblem[] = [];
  let checked = 0;
  for (const file of files) {
    const shown = relative(root, file) || file;
    if (!existsSync(file)) {
      problems.push({ file: shown, line: 0, target: "", reason: "markdown file to check does not exist" });
      continue;
    }
    for (const { target, line } of extractLinks(readFileSync(file, "utf8"))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) continue; // external
      checked++;
      const report = (reason: string): void => {
        problems.push({ file: shown, line, target, reason });
      };
      const hash = target.indexOf("#");
      const pathPart = (hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, "");
      const anchorPart = hash === -1 ? undefined : target.slice(hash + 1);
      let decodedPath: string;
      let anchor: string | undefined;
      try {
        decodedPath = decodeURIComponent(pathPart);
        anchor = anchorPart === undefined ? undefined : decodeURIComponent(anchorPart);
      } catch {
        report("malformed percent-encoding");
        continue;
      }
      let targetFile = file;
      if (decodedPath !== "") {
        targetFile = decodedPath.startsWith("/") ? join(root, decodedPath) : resolve(dirname(file), decodedPath);
        if (!existsSync(targetFile)) {
          report(`no such file or directory: ${relative(root, targetFile)}`);
          continue;
        }
      }
      if (anchor === undefined || anchor === "") continue;
      if (!targetFile.endsWith(".md") || statSync(targetFile).isDirectory()) continue;
      if (!anchorsOf(targetFile).has(anchor)) {
        report(`no heading or id "#${anchor}" in ${relative(root, targetFile) || targetFile}`);
      }
    }
  }
  return { files: files.length, checked, problems };
}

/**
 * Command line: checks the given files and directories (default {@link DEFAULT_DOC_FILES}),
 * prints each problem as `file:line: target: reason`, returns the exit code.
 * @param args file or directory paths
 * @param root the repository root
 * @returns 0 when every link resolves, 1 otherwise
 */
export function main(args: readonly string[], root: string = process.cwd()): number {
  const result = checkDocLinks(args.length > 0 ? args : DEFAULT_DOC_FILES, root);
  for (const p of result.problems) console.error(`${p.file}:${p.line}: ${p.target}: ${p.reason}`);
  const summary = `checked ${result.checked} relative links in ${result.files} markdown files`;
  if (result.problems.length > 0) {
    console.error(`${summary}: ${result.problems.length} broken`);
    return 1;
  }
  console.log(`${summary}: all resolve`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // given paths are relative to the working directory, the defaults to the repository root
  const args = process.argv.slice(2);
  process.exitCode = main(args, args.length > 0 ? process.cwd() : resolve(import.meta.dirname, ".."));
}
