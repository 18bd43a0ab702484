// @ts-check
/**
 * Local typedoc plugin for the API site (loaded through `plugin` in typedoc.json). Three things:
 *
 * 1. Categories. Every export is put into a category taken from the directory of the source file
 *    that declares it, so the modules under src/ need no `@category` tags. An export whose file
 *    matches no rule is a warning, which `treatWarningsAsErrors` turns into a failed build: a new
 *    directory under src/ must get a rule in CATEGORY_RULES. How: just before typedoc's
 *    CategoryPlugin runs (Converter RESOLVE_END, priority -200), append a `@category <name>`
 *    block tag to the comment CategoryPlugin reads (the declaration's own comment, else its first
 *    call signature's). `@category` is in typedoc's default `notRenderedTags`, so nothing extra
 *    is rendered. A reflection without any comment is left alone: creating a comment would hide
 *    it from the `notDocumented` validation. A re-export (orderpulse/node re-exports
 *    orderpulse/csv) takes its target's category. At the project level the docs/*.md guides
 *    (`projectDocuments`) go into "Guides" and the modules into "API".
 * 2. Module names. The entry points are named by their import specifier ("orderpulse",
 *    "orderpulse/csv", "orderpulse/node") instead of typedoc's "index", "csv", "node".
 * 3. Heading anchors. typedoc slugs a markdown heading from its plain text only, dropping inline
 *    code, so "## 1. `item_dropped`: a habit" becomes "#1-a-habit" while GitHub (where the guides
 *    are read too) makes "#1-item_dropped-a-habit". A markdown-it rule gives each inline-code
 *    token in a heading a text child carrying its content; typedoc's slugger reads it, the
 *    renderer ignores it, and the anchors match GitHub's for the headings in docs/.
 */
import { Application, Comment, CommentTag, Converter, ReflectionKind } from "typedoc";

/**
 * Ordered rules: the first whose pattern matches the declaring file's path relative to src/
 * (forward slashes) names the category. Keep the names in sync with `categoryOrder` in
 * typedoc.json.
 * @type {ReadonlyArray<readonly [RegExp, string]>}
 */
export const CATEGORY_RULES = [
  [/^data\/errors\.ts$/, "Errors"],
  [/^data\/(epoch-day|civil-from-epoch-day|format-day|parse-day|israeli-holidays)\.ts$/, "Dates and calendars"],
  [/^data\//, "Data"],
  [/^synth\//, "Synthetic data"],
  [/^kpi\//, "KPIs"],
  [/^patterns\//, "Patterns"],
  [/^signals\//, "Signals"],
  [/^recommend\//, "Recommendations"],
  [/^(tasks\/|analyze\.ts$)/, "Tasks"],
  [/^(engine|backtest)\//, "Engine"],
  [/^csv\//, "CSV"],
  [/^node\//, "Node"],
];

/** Project-level category of the docs/*.md guides. */
export const GUIDES_CATEGORY = "Guides";
/** Project-level category of the entry-point modules. */
export const MODULES_CATEGORY = "API";

/**
 * The category for a source file, or undefined when no rule matches or the file is not under src/.
 * @param {string} fileName absolute or relative path of the declaring file
 * @returns {string | undefined}
 */
export function categoryForFile(fileName) {
  const normalized = fileName.replace(/\\/g, "/");
  const at = normalized.lastIndexOf("/src/");
  const relative = at >= 0 ? normalized.slice(at + "/src/".length) : normalized.startsWith("src/") ? normalized.slice(4) : undefined;
  if (relative === undefined) return undefined;
  for (const [pattern, category] of CATEGORY_RULES) {
    if (pattern.test(relative)) return category;
  }
  return undefined;
}

/**
 * The comment CategoryPlugin.getCategories reads first for this reflection, if any.
 * @param {import("typedoc").DeclarationReflection} reflection
 * @returns {import("typedoc").Comment | undefined}
 */
function commentToTag(reflection) {
  if (reflection.comment) return reflection.comment;
  for (const signature of reflection.signatures ?? []) {
    if (signature.comment) return signature.comment;
  }
  if (reflection.type?.type === "reflection") {
    const declaration = reflection.type.declaration;
    if (declaration.comment) return declaration.comment;
    for (const signature of declaration.signatures ?? []) {
      if (signature.comment) return signature.comment;
    }
  }
  return undefined;
}

/**
 * Import specifier for an entry-point file: src/index.ts -> "orderpulse", src/csv/index.ts ->
 * "orderpulse/csv"; undefined for any other file.
 * @param {string} fileName
 * @returns {string | undefined}
 */
export function moduleNameForFile(fileName) {
  const match = /(?:^|\/)src\/(?:([^/]+)\/)?index\.ts$/.exec(fileName.replace(/\\/g, "/"));
  if (!match) return undefined;
  return match[1] === undefined ? "orderpulse" : `orderpulse/${match[1]}`;
}

/**
 * markdown-it core rule (see 3. above): inline code inside a heading gets a text child so that
 * typedoc's heading slug includes it.
 * @param {any} state markdown-it core state
 * @returns {void}
 */
function headingCodeText(state) {
  const tokens = state.tokens;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].type !== "heading_open" || tokens[i + 1].type !== "inline") continue;
    for (const child of tokens[i + 1].children ?? []) {
      if (child.type !== "code_inline" || child.children) continue;
      const text = new state.Token("text", "", 0);
      text.content = child.content;
      child.children = [text];
    }
  }
}

/**
 * typedoc plugin entry point.
 * @param {import("typedoc").Application} app
 * @returns {void}
 */
export function load(app) {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const previous = app.options.getValue("markdownItLoader");
    app.options.setValue("markdownItLoader", (/** @type {any} */ parser) => {
      previous(parser);
      parser.core.ruler.push("orderpulse_heading_code_text", headingCodeText);
    });
  });

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const fileName = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    const name = fileName === undefined ? undefined : moduleNameForFile(fileName);
    if (name !== undefined) reflection.name = name;
  });

  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const project = context.project;
      // Project level: the guides (projectDocuments) and the three modules, in two folders.
      for (const document of project.documents ?? []) {
        document.frontmatter["category"] ??= GUIDES_CATEGORY;
      }
      for (const module of project.children ?? []) {
        if (!module.kindOf(ReflectionKind.Module)) continue;
        module.comment ??= new Comment();
        if (!module.comment.blockTags.some((tag) => tag.tag === "@category")) {
          module.comment.blockTags.push(new CommentTag("@category", [{ kind: "text", text: MODULES_CATEGORY }]));
        }
      }

      for (const reflection of Object.values(project.reflections)) {
        const parent = reflection.parent;
        if (!parent || !(parent.isProject() || parent.kindOf(ReflectionKind.Module))) continue;
        if (reflection.kindOf(ReflectionKind.Module)) continue;
        if (!reflection.isDeclaration() && !reflection.isReference()) continue;
        // A re-export (orderpulse/node re-exports orderpulse/csv) takes its target's category.
        const declared = reflection.isReference() ? reflection.getTargetReflectionDeep() : reflection;
        const symbol = context.getSymbolFromReflection(declared);
        const fileName = symbol?.declarations?.[0]?.getSourceFile().fileName;
        const category = fileName === undefined ? undefined : categoryForFile(fileName);
        if (category === undefined) {
          app.logger.warn(
            `typedoc-categories: no category for ${reflection.getFriendlyFullName()} (declared in ${fileName ?? "an unknown file"}); add a rule to scripts/typedoc-categories.mjs`,
          );
          continue;
        }
        const tag = new CommentTag("@category", [{ kind: "text", text: category }]);
        if (reflection.isReference()) {
          // References are not subject to notDocumented, and a comment holding only @category renders nothing.
          reflection.comment ??= new Comment();
          reflection.comment.blockTags.push(tag);
          continue;
        }
        const comment = commentToTag(reflection);
        if (!comment) continue; // the notDocumented validation reports it
        if (comment.blockTags.some((existing) => existing.tag === "@category")) continue; // an explicit tag wins
        comment.blockTags.push(tag);
      }
    },
    -150,
  );
}
