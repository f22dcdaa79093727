import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { Analyzer, AnalyzeResult } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import { ROOT } from "./helpers";

/**
 * The component-package path (`PulumiPlugin.yaml`, `pulumi package add`): the Node.js language
 * host requires the package's `main`, collects the exported ComponentResource classes and hands
 * them to `componentProviderHost` (node_modules/@pulumi/pulumi/cmd/run-plugin/run.js), which
 * infers the schema with the SDK's TypeScript analyzer (provider/experimental/provider.js,
 * `ComponentProvider.getSchema`). This test runs that same analyzer, offline, on this directory
 * with our package.json, and fails where `pulumi package add` would.
 */

/** Every component class, read from the sources so that a new one cannot be missed. */
function componentClasses(): { name: string; file: string; token: string | undefined }[] {
    const dir = path.join(ROOT, "components");
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".ts"))
        .sort()
        .flatMap((file) => {
            const source = fs.readFileSync(path.join(dir, file), "utf8");
            return [...source.matchAll(/^(export )?class (\w+) extends pulumi\.ComponentResource\b/gm)].map((m) => {
                const body = source.slice(m.index);
                const token = /super\("([^"]+)"/.exec(body)?.[1];
                expect(m[1], `${m[2]} in components/${file} is exported`).to.equal("export ");
                return { name: m[2], file, token };
            });
        });
}

/** The provider name run-plugin derives from package.json's `name` (cmd/run-plugin/run.js). */
function providerName(packageName: string): string {
    return /(@.*?\/)?(.+)/.exec(packageName)![2].replace(/[^-a-zA-Z0-9_]/g, "-");
}

describe("component package schema (the SDK's analyzer, as `pulumi package add` runs it)", function () {
    // The analyzer builds a TypeScript program of the whole package (≈ 15 s with @pulumi/aws).
    this.timeout(180_000);

    const packageJson = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    const name = providerName(packageJson.name as string);
    const classes = componentClasses();
    let result: AnalyzeResult;
    let schema: ReturnType<typeof generateSchema>;

    let entryPoint: string;

    before(() => {
        const analyzer = new Analyzer(ROOT, name, packageJson, new Set(classes.map((c) => c.name)));
        // Private in the SDK (pinned by `overrides`): which file the search for components starts from.
        entryPoint = (analyzer as unknown as { findProgramEntryPoint(): { fileName: string } }).findProgramEntryPoint()
            .fileName;
        result = analyzer.analyze();
        schema = generateSchema(
            name,
            packageJson.version as string,
            packageJson.description as string,
            result.components,
            result.typeDefinitions,
            result.dependencies,
        );
    });

    it("finds the components in the sources", () => {
        expect(classes.length).to.be.greaterThan(15);
        expect(classes.map((c) => c.name)).to.include.members(["Vpc", "Database", "FargateService", "Queue"]);
    });

    it("starts from the program's index.ts, which imports every component (README: From Python, Go or .NET)", () => {
        expect(path.resolve(entryPoint)).to.equal(path.join(ROOT, "index.ts"));
    });

    it("types every component groundwork:index:<Class>, the token the provider constructs", () => {
        for (const c of classes) {
            expect(c.token, `${c.name} (components/${c.file})`).to.equal(`${name}:index:${c.name}`);
        }
    });

    it("has every component and all of its args in the schema", () => {
        for (const c of classes) {
            const resource = schema.resources[`${name}:index:${c.name}`];
            expect(resource, c.name).to.not.equal(undefined);
            expect(resource.isComponent).to.equal(true);
            expect(resource.description, `${c.name} class JSDoc`).to.be.a("string").and.not.equal("");
        }
    });

    it("lists every Args property of a component as an input", () => {
        for (const c of classes) {
            const source = fs.readFileSync(path.join(ROOT, "components", c.file), "utf8");
            const argsName = new RegExp(
                `class ${c.name} [\\s\\S]*?constructor\\(\\s*name: string,\\s*args\\??: (\\w+)`,
            ).exec(source)?.[1];
            expect(argsName, `${c.name}'s constructor takes (name, args: <interface>, opts)`).to.be.a("string");
            const body = new RegExp(`export interface ${argsName} (?:extends [^{]+)?\\{([\\s\\S]*?)\\n\\}`).exec(
                source,
            )?.[1];
            expect(body, `interface ${argsName} in components/${c.file}`).to.be.a("string");
            const declared = [...body!.matchAll(/^ {4}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
            expect(declared.length, `${argsName} properties`).to.be.greaterThan(0);
            const inputs = Object.keys(result.components[c.name].inputs);
            expect(inputs, `${c.name} inputs`).to.include.members(declared);
        }
    });

    it("keeps the documented types and outputs (spot checks)", () => {
        const database = result.components.Database;
        expect(database.inputs.instanceClass).to.include({ type: "string", optional: true });
        expect(database.inputs.instanceClass.description).to.be.a("string");
        const vpc = result.components.Vpc;
        expect(vpc.outputs.vpcId).to.deep.include({ type: "string" });
        expect(schema.resources[`${name}:index:Vpc`].required).to.include("vpcId");
        expect(vpc.outputs.privateSubnetIds).to.deep.include({ type: "array", items: { type: "string" } });
        const queue = result.components.Queue;
        expect(queue.inputs.alarmTopicArn).to.include({ type: "string", optional: true });
        // An Input<string> arg is not plain: other languages may pass another resource's output.
        expect(queue.inputs.alarmTopicArn.plain).to.equal(undefined);
    });

    it("references only the @pulumi packages we depend on", () => {
        // The library takes @pulumi/* as peer dependencies (one SDK copy per consumer); npm installs
        // peers with the package, so the plugin directory has them too.
        const deps = {
            ...(packageJson.dependencies as Record<string, string>),
            ...(packageJson.peerDependencies as Record<string, string>),
        };
        for (const dep of result.dependencies) {
            expect(deps, `schema dependency ${dep.name}`).to.have.property(`@pulumi/${dep.name}`);
        }
    });
});
