import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { PAGES_DIR, allComponentDocs, pageIndex, pageName, pages } from "../tools/component-docs";
import { ROOT } from "./helpers";

/** Component classes found with a plain text search, independently of the generator's parser. */
function componentClassNames(): string[] {
    const dir = path.join(ROOT, "components");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) =>
            [
                ...fs
                    .readFileSync(path.join(dir, f), "utf8")
                    .matchAll(/class (\w+) extends pulumi\.ComponentResource\b/g),
            ].map((m) => m[1]),
        )
        .sort();
}

describe("component reference pages (npm run docs)", () => {
    const docs = allComponentDocs();

    it("has a page for every component class", () => {
        const names = componentClassNames();
        expect(names.length).to.be.greaterThan(15);
        expect(docs.map((d) => d.name).sort()).to.deep.equal(names);
        for (const name of names) {
            expect(fs.existsSync(path.join(PAGES_DIR, `${pageName(name)}.md`)), `docs/components/${pageName(name)}.md`)
                .to.be.true;
        }
    });

    it("keeps docs/components equal to what npm run docs generates, with no stale page", () => {
        const wanted = pages(docs);
        const committed = fs.readdirSync(PAGES_DIR).filter((f) => f.endsWith(".md"));
        expect(committed.sort()).to.deep.equal([...wanted.keys()].sort());
        for (const [file, content] of wanted) {
            expect(fs.readFileSync(path.join(PAGES_DIR, file), "utf8"), `${file}: run npm run docs`).to.equal(content);
        }
    });

    it("documents every Args field and reads types and defaults from the JSDoc", () => {
        for (const doc of docs) {
            expect(doc.summary, `${doc.name} class JSDoc`).to.not.equal("");
            expect(doc.argsName, `${doc.name}'s constructor has an args parameter`).to.be.a("string");
            for (const arg of doc.args) {
                expect(arg.description, `${doc.argsName}.${arg.name} has a description`).to.not.equal("");
            }
        }
        const database = docs.find((d) => d.name === "Database")!;
        const instanceClass = database.args.find((a) => a.name === "instanceClass");
        expect(instanceClass).to.include({ type: "string", optional: true });
        expect(instanceClass?.defaultValue).to.be.a("string").and.not.equal("");
        const vpc = docs.find((d) => d.name === "Vpc")!;
        expect(vpc.outputs.map((o) => o.name)).to.include("vpcId");
        expect(
            vpc.outputs.map((o) => o.name),
            "private members stay out",
        ).to.not.include("name");
    });

    it("is linked from the README, one line per component", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const match = /<!-- component-pages:start -->\n([\s\S]*?)\n<!-- component-pages:end -->/.exec(readme);
        expect(match, "component-pages markers in the README").to.not.equal(null);
        expect(match![1].trim()).to.equal(pageIndex(docs).trim());
    });

    it("summarises each component in one whole sentence: no dangling list colon, no word split at a line break", () => {
        const lines = pageIndex(docs).split("\n");
        for (const line of lines) {
            expect(line, line.slice(0, 60)).to.match(/\.$/);
            expect(line, line.slice(0, 60)).not.to.match(/[a-z]- [a-z]/);
        }
        expect(lines.find((l) => l.startsWith("- [`WebAcl`]"))).to.include("known-bad-inputs");
    });
});
