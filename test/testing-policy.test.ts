import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import type { PlannedResource } from "../policy/plan-types";
import { checkPolicies, formatPolicyReport, isDeferred, shippedPolicyConfigFile } from "../testing/policy";
import { goodDbProps, res, T } from "./policy/fixtures";
import { ROOT } from "./helpers";

// groundwork/testing/policy: the pack's offline runner as a consumer's test calls it. The consumer
// example (.ci/consumer) runs it from the installed tarball; here, the options' meaning.

/** The same record under another stack's URN (runProgram names the stack in every URN). */
function inStack(stack: string, r: PlannedResource): PlannedResource {
    return { ...r, urn: r.urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`) };
}

const policyNames = (resources: PlannedResource[], options: Parameters<typeof checkPolicies>[1]) =>
    checkPolicies(resources, options).violations.map((v) => v.policyName);

describe("groundwork/testing/policy: checkPolicies", () => {
    const oneDayBackups = [res(T.rds, "db", goodDbProps({ backupRetentionPeriod: 1 }))];

    it('reads "dev" and "prod" from the package\'s own policy/ folder, whatever the working directory', () => {
        expect(shippedPolicyConfigFile("dev")).to.equal(path.join(ROOT, "policy", "dev.json"));
        const cwd = process.cwd();
        process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-cwd-")));
        try {
            const report = checkPolicies(oneDayBackups, { config: "dev" });
            expect(report.config).to.equal("groundwork policy/dev.json");
            // dev.json accepts 1-day backups (minDays 1); without config the rule's 7 days apply.
            expect(report.violations.map((v) => v.policyName)).to.not.include("res-rds-backup");
            expect(checkPolicies(oneDayBackups, { config: "prod" }).config).to.equal("groundwork policy/prod.json");
        } finally {
            process.chdir(cwd);
        }
    });

    it("runs each policy with its own defaults without config, as the CLI without --policy-pack-config", () => {
        const report = checkPolicies(oneDayBackups);
        expect(report.config).to.equal("none");
        expect(report.violations.filter((v) => v.policyName === "res-rds-backup")[0]?.enforcementLevel).to.equal(
            "mandatory",
        );
    });

    it("takes a config object, or a path to the user's own file, and refuses an invalid one", () => {
        expect(policyNames(oneDayBackups, { config: { "res-rds-backup": { minDays: 1 } } })).to.not.include(
            "res-rds-backup",
        );
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-config-")), "mine.json");
        fs.writeFileSync(file, JSON.stringify({ "res-rds-backup": "disabled" }));
        const report = checkPolicies(oneDayBackups, { config: file });
        expect(report.config).to.equal(file);
        expect(report.policies.find((p) => p.name === "res-rds-backup")?.enforcementLevel).to.equal("disabled");
        expect(() => checkPolicies(oneDayBackups, { config: { "res-rds-bakup": "advisory" } })).to.throw(
            /unknown policy "res-rds-bakup" \(did you mean "res-rds-backup"\?\)/,
        );
        expect(() => checkPolicies(oneDayBackups, { config: path.join(path.dirname(file), "none.json") })).to.throw(
            /cannot read policy config .*none\.json: ENOENT/,
        );
    });

    it("judges by the stack named in the URNs unless stackName says otherwise", () => {
        const singleAz = [res(T.rds, "db", goodDbProps({ multiAz: false }))];
        expect(
            policyNames(
                singleAz.map((r) => inStack("dev", r)),
                {},
            ),
        ).to.not.include("res-rds-multiaz");
        expect(
            policyNames(
                singleAz.map((r) => inStack("prod", r)),
                {},
            ),
        ).to.include("res-rds-multiaz");
        expect(
            policyNames(
                singleAz.map((r) => inStack("dev", r)),
                { stackName: "prod" },
            ),
        ).to.include("res-rds-multiaz");
    });

    it("formats the report as the plan does and tells deferred checks from violations", () => {
        const report = checkPolicies(
            [res(T.rds, "db", goodDbProps({ multiAz: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }))],
            {
                config: "prod",
            },
        );
        const deferred = report.violations.filter(isDeferred);
        expect(deferred.map((v) => v.policyName)).to.include("res-rds-multiaz");
        expect(formatPolicyReport(report)).to.match(
            /^Policy pack groundwork@v\d+\.\d+\.\d+: .*config: groundwork policy\/prod\.json/,
        );
        expect(formatPolicyReport(report)).to.contain("deferred (unknown at preview; pulumi up checks them)");
    });
});
