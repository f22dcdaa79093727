import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { formatPlan, main, parseArgs, plan, PlanResult, UsageError } from "../tools/plan";
import { PlanDocument, UNKNOWN_SENTINEL } from "../tools/plan-types";
import { readStackFile, SECURE_PLACEHOLDER } from "../tools/stack-file";
import { ROOT } from "./helpers";

/** Runs the plan CLI as a user would (`npm run plan -- …`), in a copy of the project when the stack file is edited. */
function cli(args: string[], cwd = ROOT) {
    const result = spawnSync(process.execPath, ["-r", path.join(ROOT, "tools", "register.js"), path.join(cwd, "tools", "plan.ts"), ...args], {
        cwd,
        encoding: "utf8",
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch copy of the project's program and stack files, sharing node_modules by symlink. */
function scratchProject(editStack?: (text: string) => string, stack = "dev"): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-plan-"));
    for (const entry of ["index.ts", "components", "stacks", "policy", "tools", "Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "tsconfig.json", "package.json"]) {
        fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.includes("node_modules") });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    if (editStack) {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, editStack(fs.readFileSync(file, "utf8")));
    }
    return dir;
}

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
        expect(results.prod.document.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway")).to.have.length(2);
    });

    it("records every field the engine hands a policy, for every resource", () => {
        for (const stack of ["dev", "prod"]) {
            for (const r of results[stack].document.resources) {
                expect(r.urn, r.name).to.match(/^urn:pulumi:/);
                expect(r).to.include.all.keys("urn", "type", "name", "custom", "props", "options", "dependencies", "propertyDependencies");
                expect(r.options).to.include.all.keys("protect", "retainOnDelete", "ignoreChanges", "deleteBeforeReplace", "aliases");
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
        expect(resources.every((r) => !r.parent || urns.has(r.parent))).to.equal(true);
        expect(urns.size).to.equal(resources.length);
    });

    it("uses the stack's config: prod protects its alarm key and topic, dev does not", () => {
        const protectedTypes = (stack: string) =>
            results[stack].document.resources.filter((r) => r.options.protect).map((r) => r.type);
        expect(protectedTypes("prod")).to.include.members(["aws:kms/key:Key", "aws:sns/topic:Topic"]);
        expect(protectedTypes("dev")).to.deep.equal([]);
    });

    it("exports stack outputs", () => {
        expect(results.dev.document.outputs).to.include({ environment: "dev", region: "us-east-1", vpcCidr: "10.0.0.0/16" });
        expect(results.dev.document.outputs.natGatewayIds).to.have.length(1);
    });

    it("hands secure config values on as secret placeholders, never decrypted", () => {
        const dir = scratchProject((text) => `${text}  groundwork:owner:\n    secure: AAABAK+Zc2VjcmV0\n`.replace("  groundwork:owner: platform-team\n", ""));
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

    describe("command line", () => {
        it("exits 0 on dev and writes JSON that parses and carries every field", () => {
            const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-json-")), "plan.json");
            const { code, stdout } = cli(["--stack", "dev", "--json", out]);
            expect(code, stdout).to.equal(0);
            expect(stdout).to.match(/\+ +pulumi:pulumi:Stack +groundwork-dev/);
            expect(stdout).to.match(/[├└]─ groundwork:index:Vpc +network/);
            expect(stdout).to.include("What an offline plan cannot know");
            const doc = JSON.parse(fs.readFileSync(out, "utf8")) as PlanDocument;
            expect(doc).to.have.all.keys("project", "stack", "resources", "outputs", "policyViolations");
            expect(doc.project).to.equal("groundwork");
            expect(doc.stack).to.equal("dev");
            expect(doc.resources.length).to.equal(results.dev.document.resources.length);
            expect(doc.policyViolations).to.be.an("array");
        });

        it("exits 2 with one line naming the key on a bad config value", () => {
            const dir = scratchProject((text) => `${text}  groundwork:network:\n    vpcCidr: 10.0.0.0/33\n`);
            const { code, stderr, stdout } = cli(["--stack", "dev"], dir);
            expect(code, stderr + stdout).to.equal(2);
            expect(stderr.trim().split("\n")).to.deep.equal(['error: groundwork:network.vpcCidr: "10.0.0.0/33" is not a valid IPv4 CIDR (network address/prefix, e.g. 10.0.0.0/16)']);
            expect(stdout).to.equal("");
        });

        it("exits 2 on usage errors and a missing stack file", () => {
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
                const mandatory = results[stack].document.policyViolations.filter((v) => v.enforcementLevel === "mandatory");
                expect(mandatory, `${stack}: ${mandatory.map((v) => `${v.policyName} ${v.message}`).join("\n")}`).to.deep.equal([]);
                expect(results[stack].report.policies.length).to.be.greaterThan(40);
            }
        });

        it("protects every stateful resource in prod", () => {
            const stateful = /^aws:(rds\/instance|elasticache\/replicationGroup|s3\/bucket|kms\/key|secretsmanager\/secret|sqs\/queue):/;
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
            fs.writeFileSync(strict, JSON.stringify({ "res-rds-backup": { minDays: 35 }, "res-rds-multiaz": { environment: "prod" } }));
            const { code, stdout } = cli(["--stack", "prod", "--policy-config", strict]);
            expect(code, stdout).to.equal(1);
            expect(stdout).to.include("res-rds-backup");
            expect(stdout).to.include("set it to at least 35 days");
        });

        it("as a first preview (computed values unknown) still finds no mandatory violation, and defers what it cannot see", async () => {
            const first = await plan("prod", undefined, true);
            const subnet = first.document.resources.find((r) => r.type === "aws:ec2/subnet:Subnet")!;
            expect(subnet.props.vpcId).to.equal(UNKNOWN_SENTINEL);
            expect(subnet.props.cidrBlock).to.equal("10.0.1.0/24");
            expect(first.document.outputs.vpcId).to.equal(UNKNOWN_SENTINEL);
            const mandatory = first.report.violations.filter((v) => v.enforcementLevel === "mandatory");
            expect(mandatory.map((v) => `${v.policyName}: ${v.message}`)).to.deep.equal([]);
            const deferred = first.report.violations.filter((v) => v.message.includes("cannot be verified at preview"));
            expect(deferred.length).to.be.greaterThan(0);
            expect(deferred.every((v) => v.enforcementLevel === "advisory")).to.equal(true);
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
