/**
 * Writes one reference page per component, docs/components/<name>.md, from the sources: the class
 * JSDoc, the `XxxArgs` interface (type, `@default`, description) and the public members.
 *
 *   npm run docs
 *
 * Only the syntax is read (no type checker): the types are printed as written, so the pages are
 * the same on every machine and take a fraction of a second. A test keeps the committed pages equal.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
export const COMPONENTS_DIR = path.join(ROOT, "components");
export const PAGES_DIR = path.join(ROOT, "docs", "components");

export interface ComponentDoc {
    name: string;
    /** The source file, relative to the repository root. */
    file: string;
    summary: string;
    argsName: string | undefined;
    args: MemberDoc[];
    outputs: MemberDoc[];
    methods: MemberDoc[];
}

export interface MemberDoc {
    name: string;
    type: string;
    optional: boolean;
    defaultValue: string | undefined;
    description: string;
}

/** `VpcEndpoint` → `vpc-endpoint`: the page's file name. */
export function pageName(className: string): string {
    return className.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** A JSDoc comment's text, with `{@link X}` as code. */
function commentText(comment: string | ts.NodeArray<ts.JSDocComment> | undefined): string {
    const text = ts.getTextOfJSDocComment(comment) ?? "";
    return text.replace(/\{@link\s+([^}\s|]+)(?:\s*\|?\s*([^}]*))?\}/g, (_, target: string, label: string) =>
        label ? `${label.trim()} (\`${target}\`)` : `\`${target}\``,
    );
}

function jsDocs(node: ts.Node): ts.JSDoc[] {
    return ts.getJSDocCommentsAndTags(node).filter((d): d is ts.JSDoc => ts.isJSDoc(d));
}

function description(node: ts.Node): string {
    return jsDocs(node)
        .map((d) => commentText(d.comment))
        .join("\n")
        .trim();
}

function defaultTag(node: ts.Node): string | undefined {
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "default");
    return tag ? commentText(tag.comment).trim() : undefined;
}

function typeText(node: ts.TypeNode | undefined, source: ts.SourceFile): string {
    return node ? node.getText(source).replace(/\s+/g, " ").replace(/;\s*}/g, " }") : "";
}

function isPublic(member: ts.ClassElement): boolean {
    const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
    return !modifiers.some(
        (m) =>
            m.kind === ts.SyntaxKind.PrivateKeyword ||
            m.kind === ts.SyntaxKind.ProtectedKeyword ||
            m.kind === ts.SyntaxKind.StaticKeyword,
    );
}

function propertyDoc(member: ts.PropertySignature | ts.PropertyDeclaration, source: ts.SourceFile): MemberDoc {
    return {
        name: member.name.getText(source),
        type: typeText(member.type, source),
        optional: member.questionToken !== undefined,
        defaultValue: defaultTag(member),
        description: description(member),
    };
}

/** The members of an interface declared in `source`, with those of the interfaces it extends there. */
function interfaceMembers(name: string, source: ts.SourceFile): MemberDoc[] {
    const decl = source.statements.find(
        (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name,
    );
    if (!decl) {
        return [];
    }
    const inherited = (decl.heritageClauses ?? []).flatMap((h) =>
        h.types.flatMap((t) => interfaceMembers(t.expression.getText(source), source)),
    );
    const own = decl.members.filter(ts.isPropertySignature).map((m) => propertyDoc(m, source));
    return [...inherited.filter((i) => !own.some((o) => o.name === i.name)), ...own];
}

/** Every `export class X extends pulumi.ComponentResource` in one source file. */
export function componentDocs(file: string): ComponentDoc[] {
    const text = fs.readFileSync(file, "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const docs: ComponentDoc[] = [];
    for (const statement of source.statements) {
        if (!ts.isClassDeclaration(statement) || !statement.name) {
            continue;
        }
        const base = statement.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
        if (base?.expression.getText(source) !== "pulumi.ComponentResource") {
            continue;
        }
        const ctor = statement.members.find(ts.isConstructorDeclaration);
        const argsParam = ctor?.parameters.find((p) => p.name.getText(source) === "args");
        const argsName =
            argsParam?.type && ts.isTypeReferenceNode(argsParam.type)
                ? argsParam.type.typeName.getText(source)
                : undefined;
        const publicMembers = statement.members.filter(isPublic);
        docs.push({
            name: statement.name.text,
            file: path.relative(ROOT, file).split(path.sep).join("/"),
            summary: description(statement),
            argsName,
            args: argsName ? interfaceMembers(argsName, source) : [],
            outputs: publicMembers.filter(ts.isPropertyDeclaration).map((m) => propertyDoc(m, source)),
            methods: publicMembers.filter(ts.isMethodDeclaration).map((m) => ({
                name: m.name.getText(source),
                type: `(${m.parameters.map((p) => p.getText(source).replace(/\s+/g, " ")).join(", ")})${
                    m.type ? `: ${typeText(m.type, source)}` : ""
                }`,
                optional: false,
                defaultValue: undefined,
                description: description(m),
            })),
        });
    }
    return docs;
}

/** Every component of the library, sorted by name. */
export function allComponentDocs(): ComponentDoc[] {
    return fs
        .readdirSync(COMPONENTS_DIR)
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) => componentDocs(path.join(COMPONENTS_DIR, f)))
        .sort((a, b) => a.name.localeCompare(b.name));
}

/** Text for a Markdown table cell: one line, pipes escaped, code blocks kept as inline code. */
function cell(text: string): string {
    return text
        .replace(/```\w*\n([\s\S]*?)```/g, (_, code: string) => `\`${code.trim().replace(/\s*\n\s*/g, " ")}\``)
        .replace(/\s*\n\s*/g, " ")
        .replace(/\|/g, "\\|")
        .trim();
}

function code(text: string): string {
    return text ? `\`${text.replace(/\|/g, "\\|")}\`` : "";
}

export function renderPage(doc: ComponentDoc): string {
    const lines = [
        `# ${doc.name}`,
        "",
        `<!-- Generated by \`npm run docs\` from ${doc.file}; edit the JSDoc there, not this page. -->`,
        "",
        `Source: [\`${doc.file}\`](../../${doc.file}) · type token \`groundwork:index:${doc.name}\``,
        "",
        doc.summary,
        "",
        `## Args${doc.argsName ? ` (\`${doc.argsName}\`)` : ""}`,
        "",
    ];
    if (doc.args.length === 0) {
        lines.push("None.", "");
    } else {
        lines.push("| Name | Type | Default | Description |", "|---|---|---|---|");
        for (const a of doc.args) {
            const name = a.optional ? `\`${a.name}\`` : `\`${a.name}\` (required)`;
            lines.push(`| ${name} | ${code(a.type)} | ${cell(a.defaultValue ?? "")} | ${cell(a.description)} |`);
        }
        lines.push("");
    }
    lines.push("## Outputs", "");
    if (doc.outputs.length === 0) {
        lines.push("None.", "");
    } else {
        lines.push("| Name | Type | Description |", "|---|---|---|");
        for (const o of doc.outputs) {
            lines.push(`| \`${o.name}\` | ${code(o.type)} | ${cell(o.description)} |`);
        }
        lines.push("");
    }
    if (doc.methods.length > 0) {
        lines.push("## Methods", "", "| Method | Description |", "|---|---|");
        for (const m of doc.methods) {
            lines.push(`| ${code(`${m.name}${m.type}`)} | ${cell(m.description)} |`);
        }
        lines.push("");
    }
    return lines.join("\n");
}

/** The README's list of the pages (between `<!-- component-pages:start -->` and `end`). */
export function pageIndex(docs: ComponentDoc[] = allComponentDocs()): string {
    return docs
        .map((d) => `- [\`${d.name}\`](docs/components/${pageName(d.name)}.md): ${firstSentence(d.summary)}`)
        .join("\n");
}

function firstSentence(text: string): string {
    // Lines are joined with a space, except after a hyphen that wrapped a word ("known-bad-\ninputs").
    const flatten = (paragraph: string) => paragraph.replace(/-\s*\n\s*/g, "-").replace(/\s*\n\s*/g, " ");
    const flat = flatten(text.split(/\n\s*\n/)[0]).trimEnd();
    // A first paragraph that introduces a list ("…of its own:") is the summary without the list.
    if (flat.endsWith(":")) {
        return `${flat.slice(0, -1)}.`;
    }
    const end = flat.search(/\.(\s|$)/);
    return end >= 0 ? flat.slice(0, end + 1) : flat;
}

/** Every page's file name and content. */
export function pages(docs: ComponentDoc[] = allComponentDocs()): Map<string, string> {
    return new Map(docs.map((d) => [`${pageName(d.name)}.md`, renderPage(d)]));
}

if (require.main === module) {
    fs.mkdirSync(PAGES_DIR, { recursive: true });
    const wanted = pages();
    for (const stale of fs.readdirSync(PAGES_DIR).filter((f) => f.endsWith(".md") && !wanted.has(f))) {
        fs.rmSync(path.join(PAGES_DIR, stale));
    }
    for (const [file, content] of wanted) {
        fs.writeFileSync(path.join(PAGES_DIR, file), content);
    }
    // The README's list of the pages, between its markers (test/component-docs.test.ts compares them).
    const readmePath = path.join(__dirname, "..", "README.md");
    const readme = fs.readFileSync(readmePath, "utf8");
    const updated = readme.replace(
        /(<!-- component-pages:start -->\n)[\s\S]*?(\n<!-- component-pages:end -->)/,
        (_all, start: string, end: string) => `${start}${pageIndex()}${end}`,
    );
    if (updated !== readme) {
        fs.writeFileSync(readmePath, updated);
    }
    process.stdout.write(
        `${wanted.size} pages in ${path.relative(process.cwd(), PAGES_DIR) || "."}; README list updated\n`,
    );
}
