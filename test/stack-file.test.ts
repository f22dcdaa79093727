import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import * as yaml from "js-yaml";
import { loadStackConfig, rawConfigSchema } from "../stacks";
import {
    listStacks,
    readStackFile,
    SECURE_PLACEHOLDER,
    StackFileError,
    validateConfigValue,
} from "../tools/stack-file";
import { ROOT } from "./helpers";

/** A scratch project holding only a Pulumi.yaml and stack files. */
function project(pulumiYaml: string, stacks: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    for (const [name, text] of Object.entries(stacks)) {
        fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
    }
    return dir;
}

/** A project with the repository's own Pulumi.yaml and one stack file. */
function withRepoProject(stackYaml: string, stack = "dev"): string {
    return project(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"), { [stack]: stackYaml });
}

function errorOf(fn: () => unknown): string {
    try {
        fn();
    } catch (err) {
        expect(err, String(err)).to.be.instanceOf(StackFileError);
        return (err as Error).message;
    }
    throw new Error("expected a StackFileError");
}

const MINIMAL_DEV = "config:\n  aws:region: us-east-1\n  groundwork:environment: dev\n";

describe("stack file reader (the Pulumi CLI's config rules)", () => {
    describe("this repository's Pulumi.yaml", () => {
        for (const stack of listStacks(ROOT)) {
            it(`accepts Pulumi.${stack}.yaml as the CLI does, and the program's config loads from it`, () => {
                const file = readStackFile(ROOT, stack);
                expect(() => loadStackConfig(file.config, stack), stack).to.not.throw();
            });
        }

        it("accepts a minimal dev stack file (aws:region and environment only), and the program's config loads from it", () => {
            const file = readStackFile(withRepoProject(MINIMAL_DEV), "dev");
            const config = loadStackConfig(file.config, "dev");
            expect(config.environment).to.equal("dev");
            expect(config.alarms.emails).to.deep.equal([]);
        });

        it("requires groundwork:environment and nothing else of a stack", () => {
            const message = errorOf(() =>
                readStackFile(withRepoProject("config:\n  aws:region: us-east-1\n", "qa"), "qa"),
            );
            expect(message).to.equal(
                "validating stack config: Stack 'qa' is missing configuration value 'groundwork:environment'",
            );
        });

        it("declares exactly the keys the program reads, with a type each", () => {
            const doc = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
                config: Record<string, { type?: string }>;
            };
            const declared = Object.keys(doc.config).map((k) => k.replace(/^groundwork:/, ""));
            expect(declared.sort()).to.deep.equal(Object.keys(rawConfigSchema.shape).sort());
            for (const [key, decl] of Object.entries(doc.config)) {
                expect(decl.type, key).to.be.oneOf(["string", "object"]);
            }
        });

        it("hands the program the empty defaults of unset keys, which mean the tier's values", () => {
            const file = readStackFile(withRepoProject(MINIMAL_DEV), "dev");
            expect(file.config["groundwork:network"]).to.equal("{}");
            expect(file.config["groundwork:owner"]).to.equal("");
        });

        it("refuses a section that is not an object with the CLI's type error", () => {
            const message = errorOf(() =>
                readStackFile(withRepoProject(`${MINIMAL_DEV}  groundwork:network: big\n`), "dev"),
            );
            expect(message).to.equal(
                "validating stack config: Stack 'dev' with configuration key 'groundwork:network' must be of type 'object'",
            );
        });
    });

    describe("required keys", () => {
        const pulumiYaml = [
            "name: proj",
            "runtime: nodejs",
            "config:",
            "  proj:zeta:",
            "    type: string",
            "  alpha: {}",
            "  proj:mid:",
            "    description: no type, still required",
            "  aws:region:",
            "    value: eu-west-1",
            "  proj:withDefault:",
            "    default: 3",
            "",
        ].join("\n");

        it("lists every missing key of the project's namespace, sorted, as the CLI does", () => {
            const message = errorOf(() => readStackFile(project(pulumiYaml, { dev: "config: {}\n" }), "dev"));
            expect(message).to.equal(
                "validating stack config: Stack 'dev' is missing configuration values 'alpha', 'proj:mid' and 'proj:zeta'",
            );
        });

        it("accepts the stack once they are set, bare or namespaced", () => {
            const file = readStackFile(
                project(pulumiYaml, { dev: "config:\n  proj:zeta: z\n  alpha: a\n  mid: m\n" }),
                "dev",
            );
            expect(file.config["proj:alpha"]).to.equal("a");
            expect(file.config["proj:mid"]).to.equal("m");
        });

        it("applies a default and another namespace's value where the stack sets none; the stack wins", () => {
            const dir = project(pulumiYaml, {
                dev: "config:\n  proj:zeta: z\n  alpha: a\n  mid: m\n",
                prod: "config:\n  proj:zeta: z\n  alpha: a\n  mid: m\n  aws:region: us-west-2\n  withDefault: 5\n",
            });
            expect(readStackFile(dir, "dev").config).to.include({ "aws:region": "eu-west-1", "proj:withDefault": "3" });
            expect(readStackFile(dir, "prod").config).to.include({
                "aws:region": "us-west-2",
                "proj:withDefault": "5",
            });
        });

        it("never requires a key of another namespace (the CLI only requires its project's keys)", () => {
            // A declaration of another namespace must carry a value, so it can never be missing.
            const message = errorOf(() =>
                readStackFile(project("name: proj\nconfig:\n  aws:region: {}\n", { dev: "" }), "dev"),
            );
            expect(message).to.equal(
                "could not load Pulumi.yaml: Configuration key 'aws:region' is namespaced and must provide an attribute 'value'",
            );
        });
    });

    describe("declared types", () => {
        const typed = (type: string, value: string, extra = "") =>
            readStackFile(
                project(`name: proj\nconfig:\n  proj:k:\n    type: ${type}\n${extra}`, {
                    dev: `config:\n  proj:k: ${value}\n`,
                }),
                "dev",
            );
        const typeError = (type: string, value: string, extra = "") => errorOf(() => typed(type, value, extra));

        const accepted: [string, string, string?][] = [
            ["string", "hello"],
            ["string", "42"],
            ["integer", "42"],
            ["integer", "-7"],
            ["boolean", "true"],
            ["boolean", "false"],
            ["object", "{ a: 1 }"],
            ["array", "[a, b]", "    items:\n      type: string\n"],
            ["array", "[[1], [2, 3]]", "    items:\n      type: array\n      items:\n        type: integer\n"],
        ];
        for (const [type, value, extra] of accepted) {
            it(`accepts ${value} as ${type}`, () => {
                expect(() => typed(type, value, extra), `${type} ${value}`).to.not.throw();
            });
        }

        const rejected: [string, string, string, string?][] = [
            ["integer", "4.5", "integer"],
            ["integer", "many", "integer"],
            ["boolean", "yes", "boolean"],
            ["object", "big", "object"],
            ["object", "[a]", "object"],
            ["array", "[a, 1]", "array<string>", "    items:\n      type: string\n"],
        ];
        for (const [type, value, shown, extra] of rejected) {
            it(`rejects ${value} as ${shown} with the CLI's message`, () => {
                expect(typeError(type, value, extra)).to.equal(
                    `validating stack config: Stack 'dev' with configuration key 'proj:k' must be of type '${shown}'`,
                );
            });
        }

        it("rejects a plain value for a key declared secret, and accepts a secure one", () => {
            const extra = "    secret: true\n";
            expect(typeError("string", "plain", extra)).to.equal(
                "validating stack config: Stack 'dev' with configuration key 'proj:k' must be encrypted as it's secret",
            );
            expect(typed("string", "{ secure: AAABAK+Zc2VjcmV0 }", extra).config["proj:k"]).to.equal(
                SECURE_PLACEHOLDER,
            );
        });

        it("rejects a secure value for an object key (it decrypts to text), and leaves an integer's to pulumi preview", () => {
            expect(typeError("object", "{ secure: AAAB }")).to.match(/must be of type 'object'$/);
            const file = typed("integer", "{ secure: AAAB }");
            expect(file.notes.join("\n")).to.include(
                "proj:k is secure: whether it is of type 'integer' is checked by `pulumi preview`",
            );
        });

        it("checks a default against its type when loading Pulumi.yaml", () => {
            const message = errorOf(() =>
                readStackFile(
                    project("name: proj\nconfig:\n  proj:k:\n    type: integer\n    default: many\n", { dev: "" }),
                    "dev",
                ),
            );
            expect(message).to.equal(
                "could not load Pulumi.yaml: The default value specified for configuration key 'proj:k' is not of the expected type 'integer'",
            );
        });

        it("mirrors the CLI's ValidateConfigValue on values a YAML file can hold", () => {
            expect(validateConfigValue("integer", undefined, 3)).to.equal(true);
            expect(validateConfigValue("integer", undefined, "3")).to.equal(true);
            expect(validateConfigValue("integer", undefined, 3.5)).to.equal(false);
            expect(validateConfigValue("boolean", undefined, "True")).to.equal(false);
            expect(validateConfigValue("object", undefined, null)).to.equal(false);
            expect(validateConfigValue("array", undefined, [])).to.equal(false);
        });
    });

    describe("declarations the CLI refuses to load", () => {
        const cases: [string, string, string][] = [
            [
                "default and value together",
                "  proj:k:\n    default: a\n    value: b\n",
                "project config 'proj:k' cannot have both a 'default' and 'value' attribute",
            ],
            [
                "an array without items",
                "  proj:k:\n    type: array\n",
                "The configuration key 'proj:k' declares an array but does not specify the underlying type via the 'items' attribute",
            ],
            [
                "a type on another namespace",
                "  aws:region:\n    type: string\n    value: us-east-1\n",
                "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
            ],
            [
                "a default on another namespace",
                "  aws:region:\n    default: us-east-1\n",
                "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
            ],
            [
                "an unknown field",
                "  proj:k:\n    required: true\n",
                "config key 'proj:k': additional properties 'required' not allowed (allowed: type, items, description, secret, default, value)",
            ],
        ];
        for (const [what, config, expected] of cases) {
            it(`refuses ${what}`, () => {
                expect(
                    errorOf(() => readStackFile(project(`name: proj\nconfig:\n${config}`, { dev: "" }), "dev")),
                ).to.equal(`could not load Pulumi.yaml: ${expected}`);
            });
        }
    });

    describe("values handed to the program", () => {
        it("passes strings as they are, numbers and booleans as text, structures as JSON with sorted keys", () => {
            const file = readStackFile(
                project("name: proj\n", {
                    dev: "config:\n  s: text\n  n: 42\n  b: true\n  d: 2024-01-01\n  o:\n    z: 1\n    a: [x, y]\n",
                }),
                "dev",
            );
            expect(file.config).to.deep.equal({
                "proj:s": "text",
                "proj:n": "42",
                "proj:b": "true",
                "proj:d": "2024-01-01",
                "proj:o": '{"a":["x","y"],"z":1}',
            });
        });

        it("applies YAML merge keys as the CLI's yaml.v3 does (explicit keys win)", () => {
            const file = readStackFile(
                project("name: proj\n", {
                    dev: "base: &base\n  a: 1\n  b: 2\nconfig:\n  o:\n    <<: *base\n    b: 3\n",
                }),
                "dev",
            );
            expect(JSON.parse(file.config["proj:o"])).to.deep.equal({ a: 1, b: 3 });
        });

        it("marks a structure holding a secure value as secret, with the placeholder inside", () => {
            const file = readStackFile(
                project("name: proj\n", { dev: "config:\n  alarms:\n    emails:\n      - secure: AAAB\n" }),
                "dev",
            );
            expect(file.secretKeys).to.deep.equal(["proj:alarms"]);
            expect(JSON.parse(file.config["proj:alarms"])).to.deep.equal({ emails: [SECURE_PLACEHOLDER] });
        });

        it("notes ESC environments it does not apply", () => {
            const file = readStackFile(
                project("name: proj\n", { dev: "environment:\n  - my-org/shared\nconfig: {}\n" }),
                "dev",
            );
            expect(file.notes.join("\n")).to.include("imports Pulumi ESC environments");
        });

        it("reads stack files from stackConfigDir", () => {
            const dir = project("name: proj\nstackConfigDir: stacks\n", {});
            fs.mkdirSync(path.join(dir, "stacks"));
            fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), "config:\n  k: v\n");
            expect(listStacks(dir)).to.deep.equal(["dev"]);
            expect(readStackFile(dir, "dev").config).to.deep.equal({ "proj:k": "v" });
        });
    });
});
