import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { formatPlan, main, MAX_WIDTH, parseArgs, plan, PlanResult, UsageError, wrapLine } from "../tools/plan";
import { estimateCost, loadPrices, plannedForCost } from "../tools/cost";
import { PlanDocument, PlannedResource, UNKNOWN_SENTINEL } from "../tools/plan-types";
import { readStackFile, SECURE_PLACEHOLDER } from "../tools/stack-file";
import { ROOT, planCli as cli, scratchProject } from "./helpers";

describe("offline plan", () => {
    const results: Record<string, PlanResult> = {};
    before(async () => {
        results.dev = await plan("dev");
        results.prod = await plan("prod");
    });

    it("evaluates dev: 6 subnets over 2 AZs and one NAT gateway", () => {
        const resources = results.dev.document.resources;
        const subnets = resources.filter((r) => r.type === "aws:ec2/subnet:Subnet");
        expect(subnets).to.have.length(6);
        expect(new Set(subnets.map((s) => s.props.availabilityZone)).size).to.equal(2);
        expect(resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway")).to.have.length(1);
    });

    it("evaluates prod: one NAT gateway per AZ", () => {
        expect(
            results.prod.document.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway"),
        ).to.have.length(2);
    });

    it("records every field the engine hands a policy, for every resource", () => {
        for (const stack of ["dev", "prod"]) {
            for (const r of results[stack].document.resources) {
                expect(r.urn, r.name).to.match(/^urn:pulumi:/);
                expect(r).to.include.all.keys(
                    "urn",
                    "type",
                    "name",
                    "custom",
                    "props",
                    "options",
                    "dependencies",
                    "propertyDependencies",
                );
                expect(r.options).to.include.all.keys(
                    "protect",
                    "retainOnDelete",
                    "ignoreChanges",
                    "deleteBeforeReplace",
                    "aliases",
                );
                if (r.type !== "pulumi:pulumi:Stack") {
                    expect(r.parent, `${r.type} ${r.name} has a parent`).to.be.a("string");
                }
                if (r.type.startsWith("aws:")) {
                    // Every AWS resource uses the stack's explicit provider (region and default tags).
                    expect(r.options.provider, `${r.name} has its provider`).to.match(/pulumi:providers:aws::aws::/);
                }
            }
        }
    });

    it("forms one tree: a single root stack, every parent recorded", () => {
        const resources = results.dev.document.resources;
        const urns = new Set(resources.map((r) => r.urn));
        const roots = resources.filter((r) => !r.parent);
        expect(roots.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        for (const r of resources) {
            if (r.parent) {
                expect(urns.has(r.parent), `parent of ${r.type} ${r.name} (${r.parent}) is recorded`).to.equal(true);
            }
        }
        expect(urns.size).to.equal(resources.length);
    });

    it("uses the stack's config: prod protects its alarm key and topic, dev does not", () => {
        const protectedTypes = (stack: string) =>
            results[stack].document.resources.filter((r) => r.options.protect).map((r) => r.type);
        expect(protectedTypes("prod")).to.include.members(["aws:kms/key:Key", "aws:sns/topic:Topic"]);
        expect(protectedTypes("dev")).to.deep.equal([]);
    });

    it("exports stack outputs", () => {
        expect(results.dev.document.outputs).to.include({
            environment: "dev",
            region: "us-east-1",
            vpcCidr: "10.0.0.0/16",
        });
        expect(results.dev.document.outputs.natGatewayIds).to.have.length(1);
    });

    it("hands secure config values on as secret placeholders, never decrypted", () => {
        const dir = scratchProject((text) =>
            `${text}  groundwork:owner:\n    secure: AAABAK+Zc2VjcmV0\n`.replace(
                "  groundwork:owner: platform-team\n",
                "",
            ),
        );
        const stackFile = readStackFile(dir, "dev");
        expect(stackFile.config["groundwork:owner"]).to.equal(SECURE_PLACEHOLDER);
        expect(stackFile.secretKeys).to.deep.equal(["groundwork:owner"]);
    });

    it("parses its arguments strictly", () => {
        expect(parseArgs(["--stack", "dev", "--json", "x.json"])).to.deep.equal({ stack: "dev", json: "x.json" });
        expect(parseArgs(["--stack=prod"])).to.deep.equal({ stack: "prod" });
        expect(parseArgs(["--stack", "prod", "--first-preview"])).to.deep.equal({ stack: "prod", firstPreview: true });
        expect(() => parseArgs([])).to.throw(UsageError, /--stack is required/);
        expect(() => parseArgs(["--stack"])).to.throw(UsageError, /needs a value/);
        expect(() => parseArgs(["--stack", "dev", "--frobnicate"])).to.throw(UsageError, /unknown argument/);
    });

    it("suggests the flag meant by a misspelt one, and --stack for a bare stack name", () => {
        expect(() => parseArgs(["--stak", "dev"])).to.throw(
            UsageError,
            /^unknown argument "--stak"; did you mean --stack\?/,
        );
        expect(() => parseArgs(["--first-preveiw", "--stack", "dev"])).to.throw(
            UsageError,
            /did you mean --first-preview\?/,
        );
        expect(() => parseArgs(["prod"])).to.throw(UsageError, /^unknown argument "prod"; did you mean --stack prod\?/);
    });

    it("recognizes flags npm swallowed when `--` was forgotten", () => {
        // `npm run plan --stack dev`: npm sets npm_config_stack=true and passes `dev` on.
        expect(() => parseArgs(["dev"], { npm_config_stack: "true" })).to.throw(
            UsageError,
            /^did you forget `--`\? npm took --stack as its own option; run `npm run plan -- --stack dev`$/,
        );
        expect(() => parseArgs([], { npm_config_first_preview: "true" })).to.throw(UsageError, /did you forget `--`\?/);
        expect(parseArgs(["--stack", "dev"], { npm_config_json: "true" })).to.deep.equal({ stack: "dev" });
    });

    it("takes --help and -h without a stack", () => {
        expect(parseArgs(["--help"]).help).to.equal(true);
        expect(parseArgs(["-h", "--stack", "dev"]).help).to.equal(true);
    });

    it("wraps a long line at spaces under its own indentation, and leaves one long word whole", () => {
        const long = `    - ${"word ".repeat(40).trim()}`;
        const wrapped = wrapLine(long);
        expect(wrapped.length).to.be.greaterThan(1);
        for (const line of wrapped) {
            expect(line.length, line).to.be.at.most(MAX_WIDTH);
        }
        expect(wrapped[1].startsWith("      word")).to.equal(true);
        const arn = `x ${"a".repeat(150)}`;
        expect(wrapLine(arn)).to.deep.equal([arn]);
    });

    it("keeps every line of the dev and prod plans within 120 columns, and ends with the verdict", () => {
        for (const stack of ["dev", "prod"]) {
            const lines = formatPlan(results[stack]).split("\n");
            for (const line of lines) {
                expect(line.length, `${stack}: ${line}`).to.be.at.most(MAX_WIDTH);
            }
            const count = results[stack].document.resources.length;
            expect(lines[lines.length - 1], stack).to.equal(`Plan: ${count} resources, 0 mandatory violations — OK`);
        }
    });

    it("prints the cost estimate of the planned resources above the verdict, labelled as an estimate, not a bill", () => {
        for (const stack of ["dev", "prod"]) {
            const { document } = results[stack];
            const estimate = estimateCost(document.resources, loadPrices());
            expect(document.costEstimate.totalFixed).to.be.closeTo(estimate.totalFixed, 0.005);
            expect(document.costEstimate.totalWithUsage).to.be.closeTo(estimate.totalWithUsage, 0.005);
            expect(document.costEstimate.pricesChecked).to.match(/^\d{4}-\d{2}-\d{2}$/);
            const lines = formatPlan(results[stack]).split("\n");
            const at = lines.findIndex((l) => l.startsWith("Cost estimate (not a bill):"));
            expect(at, stack).to.be.greaterThan(0);
            expect(lines[at]).to.include(`$${estimate.totalFixed.toFixed(2)} / month fixed`);
            expect(lines[at]).to.include(`$${estimate.totalWithUsage.toFixed(2)} / month with usage`);
            expect(lines.slice(at).join(" ")).to.include(`price`).and.include("checked");
            expect(lines[lines.length - 1]).to.match(/^Plan: /);
        }
        expect(results.prod.document.costEstimate.totalFixed).to.be.greaterThan(
            results.dev.document.costEstimate.totalFixed,
        );
    });

    it("says which services it prices at no task (no image tag yet): the cost tool prices their tasks", async () => {
        const planned = results.dev.document.costEstimate;
        expect(planned.servicesAtFirstDeploy).to.deep.equal(["api"]);
        expect(formatPlan(results.dev)).to.include("api: no image tag yet");
        const tasks = (resources: PlannedResource[]) =>
            estimateCost(resources, loadPrices()).byType.find((g) => g.key === "aws:ecs/service:Service")?.fixed;
        expect(tasks(results.dev.document.resources)).to.equal(0);
        const deployed = await plannedForCost("dev");
        expect(deployed.bootstrapped).to.deep.equal(["api"]);
        expect(tasks(deployed.resources)).to.be.greaterThan(0);
    });

    describe("command line", () => {
        it("exits 0 on dev and writes JSON that parses and carries every field", () => {
            const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-json-")), "plan.json");
            const { code, stdout } = cli(["--stack", "dev", "--json", out]);
            expect(code, stdout).to.equal(0);
            expect(stdout).to.match(/\+ +pulumi:pulumi:Stack +groundwork-dev/);
            expect(stdout).to.match(/[├└]─ groundwork:index:Vpc +network/);
            expect(stdout).to.include("What an offline plan cannot know");
            const doc = JSON.parse(fs.readFileSync(out, "utf8")) as PlanDocument & {
                mode: string;
                policyConfig: string | null;
            };
            expect(doc).to.have.all.keys(
                "project",
                "stack",
                "mode",
                "policyConfig",
                "resources",
                "outputs",
                "policyViolations",
                "costEstimate",
            );
            expect(doc.mode).to.equal("preview");
            expect(doc.policyConfig).to.equal("policy/dev.json");
            expect(doc.project).to.equal("groundwork");
            expect(doc.stack).to.equal("dev");
            expect(doc.resources.length).to.equal(results.dev.document.resources.length);
            expect(doc.policyViolations).to.be.an("array");
        });

        it("exits 2 with one line naming the key on a bad config value", () => {
            const dir = scratchProject((text) => `${text}  groundwork:network:\n    vpcCidr: 10.0.0.0/33\n`);
            const { code, stderr, stdout } = cli(["--stack", "dev"], dir);
            expect(code, stderr + stdout).to.equal(2);
            expect(stderr.trim().split("\n")).to.deep.equal([
                'error: groundwork:network.vpcCidr: "10.0.0.0/33" is not a valid IPv4 CIDR (network address/prefix, e.g. 10.0.0.0/16)',
            ]);
            expect(stdout).to.equal("");
        });

        it("prints the usage for --help and exits 0", () => {
            const { code, stdout } = cli(["--help"]);
            expect(code).to.equal(0);
            expect(stdout).to.match(/^usage: npm run plan -- --stack <name>/);
            expect(stdout).to.include("--first-preview");
        });

        it("hints at the missing `--` when npm swallowed --stack, exit 2", () => {
            const { code, stderr } = cli(["dev"], ROOT, { npm_config_stack: "true" });
            expect(code).to.equal(2);
            expect(stderr.trim()).to.equal(
                "error: did you forget `--`? npm took --stack as its own option; run `npm run plan -- --stack dev`",
            );
        });

        it("exits 2 on an unwritable --json path before planning anything", () => {
            const { code, stderr, stdout } = cli(["--stack", "dev", "--json", "/nonexistent-dir/plan.json"]);
            expect(code).to.equal(2);
            expect(stderr.trim()).to.equal(
                "error: --json /nonexistent-dir/plan.json: cannot be written: no directory /nonexistent-dir",
            );
            expect(stdout).to.equal("");
        });

        it("resolves relative --json and --policy-config paths from where the command was typed (INIT_CWD under npm)", () => {
            const typedIn = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cwd-"));
            fs.copyFileSync(path.join(ROOT, "policy", "dev.json"), path.join(typedIn, "mine.json"));
            const { code, stdout, stderr } = cli(
                ["--stack", "dev", "--json", "out.json", "--policy-config", "mine.json"],
                ROOT,
                { INIT_CWD: typedIn },
            );
            expect(code, stderr).to.equal(0);
            const doc = JSON.parse(fs.readFileSync(path.join(typedIn, "out.json"), "utf8")) as { policyConfig: string };
            expect(doc.policyConfig).to.equal(path.join(typedIn, "mine.json"));
            expect(stdout).to.include(`Policy config: ${path.join(typedIn, "mine.json")}`);
        });

        it("plans a minimal dev stack (aws:region and environment only): config accepts it without an alarm e-mail", () => {
            const dir = scratchProject(() => "config:\n  aws:region: eu-west-1\n  groundwork:environment: dev\n");
            const { code, stdout, stderr } = cli(["--stack", "dev"], dir);
            expect(stderr, stderr).to.equal("");
            expect(code, stdout).to.be.oneOf([0, 1]);
            // The config side's part; whether dev's policy config lets alarms go nowhere is the pack's.
            const last = stdout.trim().split("\n").pop();
            expect(last).to.match(
                /^(Plan: \d+ resources, 0 mandatory violations — OK|FAILED: \d+ mandatory violations? \(alarm-actions\) in \d+ resources)$/,
            );
        });

        it("exits 2 naming the CLI's missing key when a stack lacks the environment", () => {
            const dir = scratchProject(() => "config:\n  aws:region: eu-west-1\n");
            const { code, stderr } = cli(["--stack", "dev"], dir);
            expect(code).to.equal(2);
            expect(stderr.trim()).to.equal(
                "error: validating stack config: Stack 'dev' is missing configuration value 'groundwork:environment'",
            );
        });

        it("exits 2 on usage errors and a missing stack file", () => {
            const usage = cli(["--stak", "dev"]);
            expect(usage.code).to.equal(2);
            expect(usage.stderr.trim().split("\n")).to.deep.equal([
                'error: unknown argument "--stak"; did you mean --stack?',
                "usage: npm run plan -- --stack <name> [--json <file>] [--policy-config <file>] [--first-preview]",
            ]);
            expect(cli([]).code).to.equal(2);
            const missing = cli(["--stack", "staging"]);
            expect(missing.code).to.equal(2);
            expect(missing.stderr).to.match(/no stack file Pulumi\.staging\.yaml; stacks here: dev, prod/);
        });

        it("exits 3 when the program itself fails", () => {
            const dir = scratchProject();
            fs.appendFileSync(path.join(dir, "index.ts"), '\nthrow new Error("boom from the program");\n');
            const { code, stderr } = cli(["--stack", "dev"], dir);
            expect(code).to.equal(3);
            expect(stderr).to.include("boom from the program");
        });
    });

    describe("with the policy pack", () => {
        it("finds zero mandatory violations in dev and prod", () => {
            for (const stack of ["dev", "prod"]) {
                const mandatory = results[stack].document.policyViolations.filter(
                    (v) => v.enforcementLevel === "mandatory",
                );
                expect(
                    mandatory,
                    `${stack}: ${mandatory.map((v) => `${v.policyName} ${v.message}`).join("\n")}`,
                ).to.deep.equal([]);
                expect(results[stack].report.policies.length).to.be.greaterThan(40);
            }
        });

        it("finds no new violation, mandatory or advisory, in dev with a NAT instance and interface endpoints", async () => {
            const levers = await plan("dev", undefined, false, {
                "groundwork:network": { natGateways: "instance", interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"] },
            });
            const types = levers.document.resources.map((r) => r.type);
            expect(types).to.include("aws:ec2/instance:Instance");
            expect(types).to.not.include("aws:ec2/natGateway:NatGateway");
            const shown = (r: PlanResult) =>
                r.document.policyViolations.map((v) => `${v.enforcementLevel} ${v.policyName} ${v.message}`).sort();
            expect(shown(levers)).to.deep.equal(shown(results.dev));
        });

        it("protects every stateful resource in prod", () => {
            const stateful =
                /^aws:(rds\/instance|elasticache\/replicationGroup|s3\/bucket|kms\/key|secretsmanager\/secret|sqs\/queue):/;
            const resources = results.prod.document.resources.filter((r) => stateful.test(r.type));
            expect(resources.length).to.be.greaterThan(10);
            for (const r of resources) {
                expect(r.options, `${r.type} ${r.name}`).to.include({ protect: true, retainOnDelete: true });
            }
        });

        it("exits 1 naming the rules when a change makes the prod database public and unencrypted", () => {
            const dir = scratchProject();
            const index = path.join(dir, "index.ts");
            // A regression as a component change could introduce it: applied to the real program.
            const breakDatabase = [
                'import * as pulumiForTest from "@pulumi/pulumi";',
                "pulumiForTest.runtime.registerStackTransformation((a) =>",
                '    a.type === "aws:rds/instance:Instance" ? { props: { ...a.props, publiclyAccessible: true, storageEncrypted: false }, opts: a.opts } : undefined);',
                "",
            ].join("\n");
            fs.writeFileSync(index, breakDatabase + fs.readFileSync(index, "utf8"));
            const { code, stdout } = cli(["--stack", "prod"], dir);
            expect(code, stdout).to.equal(1);
            expect(stdout).to.match(/mandatory:[\s\S]*enc-rds-storage[\s\S]*aws:rds\/instance:Instance \(database\)/);
            expect(stdout).to.include("net-rds-private");
        });

        it("exits 1 when the policy config is stricter than the stack", () => {
            const strict = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "strict.json");
            fs.writeFileSync(
                strict,
                JSON.stringify({ "res-rds-backup": { minDays: 35 }, "res-rds-multiaz": { environment: "prod" } }),
            );
            const { code, stdout } = cli(["--stack", "prod", "--policy-config", strict]);
            expect(code, stdout).to.equal(1);
            expect(stdout).to.include("res-rds-backup");
            expect(stdout).to.include("set it to at least 35 days");
            expect(stdout.trim().split("\n").pop()).to.match(
                /^FAILED: \d+ mandatory violations? \(res-rds-backup.*\) in \d+ resources$/,
            );
        });

        it("as a first preview (computed values unknown) still finds no mandatory violation, and defers what it cannot see", async () => {
            const first = await plan("prod", undefined, true);
            expect(first.document.mode).to.equal("first-preview");
            const subnet = first.document.resources.find((r) => r.type === "aws:ec2/subnet:Subnet")!;
            expect(subnet.props.vpcId).to.equal(UNKNOWN_SENTINEL);
            expect(subnet.props.cidrBlock).to.equal("10.0.1.0/24");
            expect(first.document.outputs.vpcId).to.equal(UNKNOWN_SENTINEL);
            const mandatory = first.report.violations.filter((v) => v.enforcementLevel === "mandatory");
            expect(mandatory.map((v) => `${v.policyName}: ${v.message}`)).to.deep.equal([]);
            const deferred = first.report.violations.filter((v) => v.message.includes("cannot be verified at preview"));
            expect(deferred.length).to.be.greaterThan(0);
            for (const v of deferred) {
                expect(v.enforcementLevel, `${v.policyName} on ${v.urn ?? "the stack"}: ${v.message}`).to.equal(
                    "advisory",
                );
            }
            // Presence checks still decide: the database's CMK is unknown, yet counted as set.
            expect(first.report.violations.map((v) => v.policyName)).to.not.include("enc-rds-storage");
            expect(formatPlan(first)).to.include("As a first preview of a new stack");
        });

        it("exits 2 on a policy config that names no policy of the pack", () => {
            const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-")), "bad.json");
            fs.writeFileSync(bad, JSON.stringify({ "res-rds-bakup": { minDays: 7 } }));
            const { code, stderr } = cli(["--stack", "prod", "--policy-config", bad]);
            expect(code).to.equal(2);
            expect(stderr).to.include("res-rds-bakup");
        });
    });

    it("main() returns the exit code instead of exiting", async () => {
        expect(await main(["--nope"])).to.equal(2);
    });
});
