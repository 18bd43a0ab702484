import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DOC_FILES, checkDocLinks, extractLinks, githubSlug, markdownAnchors } from "../scripts/check-doc-links.ts";

const root = join(import.meta.dirname, "..");

describe("githubSlug", () => {
  it("matches GitHub's anchors for the headings used in docs/", () => {
    expect(githubSlug("1. product_vanishing: a product leaving a segment")).toBe("1-product_vanishing-a-product-leaving-a-segment");
    expect(githubSlug("Recommendations — recommend() and similarProducts()")).toBe("recommendations--recommend-and-similarproducts");
    expect(githubSlug("Signals: segment- and rep-level detectors")).toBe("signals-segment--and-rep-level-detectors");
    expect(githubSlug("Customer × product (Hebrew: לקוח)")).toBe("customer--product-hebrew-לקוח");
  });
});

describe("markdownAnchors", () => {
  it("slugs ATX and setext headings from their rendered text, numbers repeats, reads HTML ids", () => {
    const md = [
      "# Title with `code_span` and *emphasis* and [a link](x.md) #",
      "## Setup",
      "## Setup",
      "Setext heading",
      "--------------",
      "```md",
      "# not a heading",
      "```",
      '<a id="explicit-anchor"></a>',
      "### `snake_case` stays, _emphasis_ goes",
    ].join("\n");
    expect([...markdownAnchors(md)]).toEqual([
      "title-with-code_span-and-emphasis-and-a-link",
      "setup",
      "setup-1",
      "setext-heading",
      "snake_case-stays-emphasis-goes",
      "explicit-anchor",
    ]);
  });
});

describe("extractLinks", () => {
  it("finds inline, multi-line, image, reference and HTML links, not those in code", () => {
    const md = [
      "See [the\ndata contract](docs/data.md#rules) and ![chart](img/a.png \"title\").",
      "`[not](a-link.md)` and",
      "```",
      "[also not](a-link.md)",
      "```",
      "[ref]: <docs/with space.md>",
      '<a href="other.md#x">x</a> [paren](wiki/A_(b).md)',
    ].join("\n");
    expect(extractLinks(md)).toEqual([
      { target: "docs/data.md#rules", line: 2 },
      { target: "img/a.png", line: 2 },
      { target: "docs/with space.md", line: 7 },
      { target: "other.md#x", line: 8 },
      { target: "wiki/A_(b).md", line: 8 },
    ]);
  });
});

describe("checkDocLinks on a fixture", () => {
  let dir: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "orderpulse-doc-links-"));
    write(
      "README.md",
      [
        "# Fixture",
        "[guide](docs/guide.md), [its section](docs/guide.md#2-item_dropped-a-habit), [here](#fixture),",
        "[a folder](docs/), [the web](https://example.com/missing.md), [code line](src/a.ts#L3)",
        "```",
        "[ignored](docs/missing.md)",
        "```",
      ].join("\n"),
    );
    write("src/a.ts", "export {};\n");
    write("docs/guide.md", "# Guide\n\n## 2. `item_dropped`: a habit\n\n[back](../README.md#fixture) [up](/README.md)\n");
    write(
      "docs/broken.md",
      [
        "# Broken",
        "[gone](missing.md)",
        "[bad anchor](guide.md#2-a-habit)",
        "[bad local](#nowhere) [good local](#broken)",
        "[ref]: ../nothing/here.md",
      ].join("\n"),
    );
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes when every file and anchor exists", () => {
    const result = checkDocLinks(["README.md", "docs/guide.md"], dir);
    expect(result.problems).toEqual([]);
    expect(result.files).toBe(2);
    expect(result.checked).toBe(7); // the external link and the one in code are not counted
  });

  it("reports each missing file and anchor with its line", () => {
    const result = checkDocLinks(["docs/broken.md"], dir);
    expect(result.problems.map((p) => `${p.file}:${p.line} ${p.target}`)).toEqual([
      "docs/broken.md:2 missing.md",
      "docs/broken.md:3 guide.md#2-a-habit",
      "docs/broken.md:4 #nowhere",
      "docs/broken.md:5 ../nothing/here.md",
    ]);
    expect(result.problems[1]!.reason).toBe('no heading or id "#2-a-habit" in docs/guide.md');
  });

  it("checks every .md file of a directory argument", () => {
    expect(checkDocLinks(["docs"], dir).problems).toHaveLength(4);
  });

  it("the command line exits 1 and prints file:line on a broken link, 0 otherwise", () => {
    // the fixture directory has no node_modules: load tsx by its resolved URL
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/package.json")).href.replace(/package\.json$/, "dist/loader.mjs");
    const run = (file: string) =>
      spawnSync(process.execPath, ["--import", tsx, join(root, "scripts/check-doc-links.ts"), file], {
        cwd: dir,
        encoding: "utf8",
      });
    const bad = run("docs/broken.md");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("docs/broken.md:2: missing.md: no such file or directory");
    expect(run("docs/guide.md").status).toBe(0);
  });
});

describe("the repository's own docs", () => {
  it("README.md, docs/*.md and the API site's landing page have no broken relative link", () => {
    const result = checkDocLinks(DEFAULT_DOC_FILES, root);
    expect(result.problems).toEqual([]);
    expect(result.checked).toBeGreaterThan(20);
  });
});
