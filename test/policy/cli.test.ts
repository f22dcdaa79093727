import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import type { PlanDocument, PlannedResource } from "../../tools/plan-types";
import { goodDbProps, link, res, T, U } from "./fixtures";

const ROOT = path.resolve(__dirname, "..", "..");

function runCli(...args: string[]): SpawnSyncReturns<string> {
    return spawnSync(
        process.execPath,
        ["-r", path.join(__dirname, "..", "..", "tools", "register.js"), "tools/policy.ts", ...args],
        {
            cwd: ROOT,
            encoding: "utf8",
            timeout: 60000,
        },
    );
}

let dir: string;

function writePlan(name: string, content: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

function plan(stack: string, resources: PlannedResource[]): PlanDocument {
    return { project: "groundwork", stack, resources, outputs: {}, policyViolations: [] };
}

/** Compliant with every mandatory rule; the log group's short retention is only advisory. */
function goodResources(): PlannedResource[] {
    const key = res(T.kms, "key", { enableKeyRotation: true });
    const logs = link(res(T.logGroup, "logs", { retentionInDays: 30, kmsKeyId: U }), "kmsKeyId", key);
    return [key, logs];
}

/** Expects exit 2 with exactly one line on stderr and no stack trace. */
function expectInputError(result: SpawnSyncReturns<string>, fragment: string): void {
    expect(result.status, result.stdout + result.stderr).to.equal(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines, result.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^policy: /);
    expect(lines[0]).to.contain(fragment);
    expect(result.stderr).to.not.match(/\n\s+at /);
}

describe("policy CLI (tools/policy.ts)", function () {
    this.timeout(120000);

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"));
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 0 on a plan without mandatory violations, printing the report and writing JSON", () => {
        const file = writePlan("good.json", plan("prod", goodResources()));
        const out = path.join(dir, "good-report.json");
        const result = runCli("--plan", file, "--json", out);
        expect(result.status, result.stderr).to.equal(0);
        expect(result.stdout).to.contain("Policy pack groundwork@v");
        expect(result.stdout).to.contain("log-retention");
        const report = JSON.parse(fs.readFileSync(out, "utf8"));
        expect(Object.keys(report)).to.deep.equal(["pack", "policies", "violations", "config"]);
        expect(report.pack).to.equal("groundwork");
        expect(report.config, "the config the report used").to.match(/policy\/prod\.json$/);
        expect(result.stdout, "the text report names it too").to.match(/config: \S*policy\/prod\.json\)/);
        expect(
            report.violations.every((v: { enforcementLevel: string }) => v.enforcementLevel === "advisory"),
        ).to.equal(true);
        expect(report.violations.length).to.be.greaterThan(0);
    });

    it("exits 1 on a mandatory violation and names the rule and resource", () => {
        const db = res(T.rds, "orders-db", goodDbProps({ storageEncrypted: false }));
        const file = writePlan("bad.json", plan("prod", [db]));
        const result = runCli("--plan", file);
        expect(result.status, result.stderr).to.equal(1);
        expect(result.stdout).to.contain("enc-rds-storage");
        expect(result.stdout).to.contain("aws:rds/instance:Instance (orders-db)");
        expect(result.stdout).to.contain("storageEncrypted is false");
    });

    it("picks policy/<stack>.json by default, and --config overrides it", () => {
        const db = res(T.rds, "db", goodDbProps({ multiAz: false }));
        const devOut = path.join(dir, "dev-report.json");
        const dev = runCli("--plan", writePlan("dev.json", plan("dev", [db])), "--json", devOut);
        const devReport = JSON.parse(fs.readFileSync(devOut, "utf8"));
        // policy/dev.json lowers alarm-actions to advisory, and res-rds-multiaz is off in dev.
        expect(devReport.policies.find((p: { name: string }) => p.name === "alarm-actions").enforcementLevel).to.equal(
            "advisory",
        );
        expect(dev.stdout).to.not.contain("res-rds-multiaz");

        const prod = runCli("--plan", writePlan("prod.json", plan("prod", [db])));
        expect(prod.status).to.equal(1);
        expect(prod.stdout).to.contain("res-rds-multiaz");

        const config = path.join(dir, "lenient.json");
        fs.writeFileSync(config, JSON.stringify({ all: "advisory" }));
        const overridden = runCli("--plan", writePlan("prod2.json", plan("prod", [db])), "--config", config);
        expect(overridden.status, overridden.stdout).to.equal(0);
        expect(overridden.stdout).to.contain("res-rds-multiaz");
    });

    it("exits 2 with one line on malformed JSON", () => {
        expectInputError(runCli("--plan", writePlan("broken.json", '{"project": "g", ')), "is not valid JSON");
    });

    it("exits 2 with one line naming the field on a wrong shape", () => {
        const bad = plan("dev", goodResources()) as unknown as { resources: Record<string, unknown>[] };
        (bad.resources[1].options as Record<string, unknown>).protect = "yes";
        expectInputError(runCli("--plan", writePlan("shape.json", bad)), "resources[1].options.protect");
        expectInputError(runCli("--plan", writePlan("array.json", [])), "is not a Groundwork plan");
        expectInputError(runCli("--plan", writePlan("nostack.json", { project: "g", resources: [] })), "stack");
        const dup = plan("dev", [res(T.kms, "k"), res(T.kms, "k")]);
        expectInputError(runCli("--plan", writePlan("dup.json", dup)), "duplicate URN");
    });

    it("exits 2 with one line on a missing file, a bad config, unknown props and bad arguments", () => {
        expectInputError(runCli("--plan", path.join(dir, "nope.json")), "ENOENT");
        const config = path.join(dir, "bad-config.json");
        fs.writeFileSync(config, JSON.stringify({ "res-rds-backup": { minDays: "seven" } }));
        expectInputError(
            runCli("--plan", writePlan("ok.json", plan("dev", goodResources())), "--config", config),
            "minDays must be integer",
        );
        const weird = res(T.rds, "db", { x: { "4dabf18193072939515e22adb298388d": "bogus" } });
        expectInputError(runCli("--plan", writePlan("weird.json", plan("dev", [weird]))), "Unrecognized signature");
        expectInputError(runCli("--plan"), "--plan needs a file");
        expectInputError(runCli("--frobnicate"), "unknown argument");
        expectInputError(runCli(), "--plan is required");
    });
});
